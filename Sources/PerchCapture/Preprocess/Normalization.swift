/// How a pixel value p in 0...255 becomes the real input value x the model was trained on.
public enum Normalization: Sendable, Equatable, CustomStringConvertible {
    /// x = p (range [0, 255]).
    case zeroTo255
    /// x = p / 255 (range [0, 1]).
    case zeroToOne
    /// x = p / 127.5 − 1 (range [−1, 1]).
    case minusOneToOne
    /// x = (p / 255 − mean[c]) / std[c], per channel, mean and std in [0, 1] units (torchvision convention).
    case meanStd(mean: [Double], std: [Double])

    /// The ImageNet mean/std torchvision uses.
    public static let imageNet = Normalization.meanStd(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// Parses a config value: `"0,255"`, `"0,1"`, `"-1,1"`, `"imagenet"`, or `"mean=a,b,c;std=d,e,f"`.
    ///
    /// - Returns: `nil` for anything else (the caller reports the config key; nothing is guessed).
    public init?(parsing text: String) {
        let t = String(text.filter { $0 != " " }).lowercased()
        switch t {
        case "0,255", "[0,255]": self = .zeroTo255
        case "0,1", "[0,1]": self = .zeroToOne
        case "-1,1", "[-1,1]": self = .minusOneToOne
        case "imagenet": self = .imageNet
        default:
            let parts = t.split(separator: ";")
            guard parts.count == 2, parts[0].hasPrefix("mean="), parts[1].hasPrefix("std=") else { return nil }
            let mean = parts[0].dropFirst(5).split(separator: ",").compactMap { Double($0) }
            let std = parts[1].dropFirst(4).split(separator: ",").compactMap { Double($0) }
            guard !mean.isEmpty, mean.count == std.count, std.allSatisfy({ $0 > 0 }) else { return nil }
            self = .meanStd(mean: mean, std: std)
        }
    }

    /// The real value of pixel `p` in `channel`.
    public func realValue(_ p: UInt8, channel: Int) -> Double {
        let v = Double(p)
        switch self {
        case .zeroTo255: return v
        case .zeroToOne: return v / 255
        case .minusOneToOne: return v / 127.5 - 1
        case .meanStd(let mean, let std):
            let c = mean.count == 1 ? 0 : channel
            return (v / 255 - mean[c]) / std[c]
        }
    }

    /// The config spelling, e.g. `"-1,1"`.
    public var description: String {
        switch self {
        case .zeroTo255: return "0,255"
        case .zeroToOne: return "0,1"
        case .minusOneToOne: return "-1,1"
        case .meanStd(let mean, let std):
            return
                "mean=\(mean.map { "\($0)" }.joined(separator: ","));std=\(std.map { "\($0)" }.joined(separator: ","))"
        }
    }
}
