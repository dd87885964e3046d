import FoundationEssentials
import SystemPackage

/// `perch camera doctor [SOURCE]`: lists video devices and checks that a camera gives usable frames.
public enum CameraDoctor {
    /// Inspects every `/dev/video*` node and, when `source` is given (or a capture node exists), captures up to
    /// `maximumFrames` frames until the mean brightness settles, flagging black, saturated and frozen frames.
    ///
    /// - Parameters:
    ///   - source: a source string; `nil` picks the first V4L2 capture node with a usable format.
    ///   - options: source options (format, size, rate).
    ///   - maximumFrames: warm-up limit.
    ///   - devDirectory: where to look for `video*` nodes.
    /// - Returns: the report (never throws: problems are in the report).
    public static func run(
        source: String? = nil,
        options: FrameSources.Options = FrameSources.Options(),
        maximumFrames: Int = 60,
        devDirectory: String = "/dev"
    ) -> DoctorReport {
        let devices = listDevices(devDirectory: devDirectory)
        var problems: [String] = []
        for d in devices where d.isRawBayer {
            problems.append("\(d.path) is a raw Bayer sensor node: use pipe:rpicam-vid (see the advice above)")
        }
        var chosen = source
        var chosenOptions = options
        if chosen == nil, let device = devices.first(where: { $0.isCapture && !$0.isRawBayer && !$0.formats.isEmpty }) {
            chosen = "v4l2:" + device.path
            let fourCCs = device.formats.map(\.fourCC)
            if !fourCCs.contains(options.pixelFormat.fourCC) {
                chosenOptions.pixelFormat =
                    ["MJPG", "YUYV", "GREY"].first(where: fourCCs.contains).map { PixelFormat(fourCC: $0) }
                    ?? options.pixelFormat
            }
        }
        var check: DoctorReport.CaptureCheck?
        if let chosen {
            let c = captureCheck(source: chosen, options: chosenOptions, maximumFrames: maximumFrames)
            if c.frames == 0 {
                problems.append("\(chosen): no frames captured\(c.firstError.map { " (" + $0 + ")" } ?? "")")
            }
            if c.frames > 0 {
                if c.black { problems.append("\(chosen): frames are black (lens cap, no light, or exposure stuck)") }
                if c.saturated { problems.append("\(chosen): frames are saturated (overexposed)") }
                if c.frozen && c.frames > 1 { problems.append("\(chosen): frames are frozen (byte-identical)") }
                if !c.settled { problems.append("\(chosen): brightness did not settle in \(c.frames) frames") }
            }
            check = c
        } else if devices.isEmpty {
            problems.append("no camera found (no /dev/video* nodes)")
        }
        return DoctorReport(devices: devices, capture: check, problems: problems)
    }

    /// Describes every `video*` node in `devDirectory`.
    public static func listDevices(devDirectory: String = "/dev") -> [DoctorReport.Device] {
        guard case .success(let names) = system_listDirectory(devDirectory) else { return [] }
        let nodes = names.filter { $0.hasPrefix("video") && Int($0.dropFirst(5)) != nil }
            .sorted { Int($0.dropFirst(5))! < Int($1.dropFirst(5))! }
        return nodes.map { describe(path: devDirectory + "/" + $0) }
    }

    /// Describes one node: identity, capture formats with sizes and intervals, Bayer detection and advice.
    public static func describe(path: String) -> DoctorReport.Device {
        var report = DoctorReport.Device(
            path: path, driver: "", card: "", busInfo: "", isCapture: false, formats: [], isRawBayer: false,
            error: nil, advice: [])
        do throws(Errno) {
            let device: V4L2Device
            do {
                device = try V4L2Device(path: path)
            } catch .invalidArgument {
                // libv4l2's open queries the capture format; a v4l2loopback node has none until a producer sets it.
                device = try V4L2Device(path: path, formatEmulation: false)
            }
            let cap = try device.queryCapability()
            report.driver = cap.driver
            report.card = cap.card
            report.busInfo = cap.busInfo
            report.isCapture =
                cap.deviceCapabilities.contains(.videoCapture) && cap.deviceCapabilities.contains(.streaming)
            if cap.deviceCapabilities.contains(.videoCaptureMultiplanar) && !report.isCapture {
                report.advice.append("multi-planar capture node: not supported by v4l2: sources")
            }
            guard report.isCapture else { return report }
            for f in try device.formats() {
                var sizes: [String] = []
                for size in (try? device.frameSizes(for: f.pixelFormat)) ?? [] {
                    switch size {
                    case .discrete(let w, let h):
                        let rates = ((try? device.frameIntervals(for: f.pixelFormat, width: w, height: h)) ?? [])
                            .compactMap { interval -> String? in
                                if case .discrete(let i) = interval { return formatRate(i.framesPerSecond) }
                                return nil
                            }
                        sizes.append(
                            "\(w)x\(h)" + (rates.isEmpty ? "" : " @ " + rates.joined(separator: ", ") + " fps"))
                    case .stepwise(let minW, let maxW, let stepW, let minH, let maxH, let stepH):
                        sizes.append("\(minW)x\(minH) to \(maxW)x\(maxH), step \(stepW)x\(stepH)")
                    }
                }
                report.formats.append(
                    DoctorReport.Format(
                        fourCC: f.pixelFormat.fourCC, description: f.description, compressed: f.isCompressed,
                        emulated: f.isEmulated, sizes: sizes))
            }
            let native = report.formats.filter { !$0.emulated }
            report.isRawBayer =
                !native.isEmpty && native.allSatisfy { PixelFormat(fourCC: $0.fourCC).isBayer }
            if report.isRawBayer {
                report.advice.append(
                    "raw Bayer node (e.g. a Raspberry Pi CSI camera under libcamera): it has no ISP and no auto-exposure "
                        + "here. Use the pipe: source instead: pipe:rpicam-vid -t 0 --codec mjpeg --width 640 "
                        + "--height 480 -o -")
            }
            if report.formats.isEmpty { report.advice.append("capture node without formats (metadata or inactive)") }
        } catch {
            report.error = "\(error)"
        }
        return report
    }

    /// Captures until brightness settles (5 consecutive frames within ±2 of each other) or `maximumFrames`.
    public static func captureCheck(
        source: String,
        options: FrameSources.Options,
        maximumFrames: Int
    ) -> DoctorReport.CaptureCheck {
        var check = DoctorReport.CaptureCheck(
            source: source, format: nil, frames: 0, errors: 0, meanBrightness: [], settled: false, settledAfter: nil,
            black: false, saturated: false, frozen: true, firstError: nil)
        let opened: any FrameSource
        do throws(CaptureError) {
            opened = try FrameSources.open(source, options: options)
        } catch {
            check.firstError = "\(error)"
            check.frozen = false
            return check
        }
        if let v4l2 = opened as? V4L2Source, let f = v4l2.grantedFormat {
            check.format = "\(f.pixelFormat.fourCC) \(f.width)x\(f.height)"
        }
        let spec = InputSpec(height: 32, width: 32, channels: 1, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
        let preprocessor = Preprocessor(spec: spec, options: .init(crop: .stretch, filter: .area))
        var tensor = [Int8](repeating: 0, count: spec.elementCount)
        var previousHash: UInt32?
        var stable = 0
        var attempts = 0
        while check.frames < maximumFrames && attempts < maximumFrames + 10 {
            attempts += 1
            do throws(CaptureError) {
                let hash = try opened.withNextFrame { (frame, bytes) throws(CaptureError) -> UInt32 in
                    try preprocessor.process(frame, bytes, into: &tensor)
                    return fnv1a(bytes)
                }
                let mean = Double(tensor.reduce(0) { $0 + Int($1) + 128 }) / Double(tensor.count)
                if let last = check.meanBrightness.last, abs(mean - last) <= 2 { stable += 1 } else { stable = 0 }
                check.meanBrightness.append(mean)
                check.frames += 1
                if let previousHash, previousHash != hash { check.frozen = false }
                previousHash = hash
                if stable >= 4 && !check.settled {
                    check.settled = true
                    check.settledAfter = check.frames
                }
                if check.settled && check.frames >= check.settledAfter! + 2 { break }
            } catch {
                if case .endOfStream = error { break }
                check.errors += 1
                if check.firstError == nil { check.firstError = "\(error)" }
                if check.errors >= 5 { break }
            }
        }
        if check.frames < 2 { check.frozen = false }
        if let last = check.meanBrightness.last {
            check.black = last < 16
            check.saturated = last > 240
        }
        return check
    }

    /// The report as pretty JSON (`--json`).
    public static func json(_ report: DoctorReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(report) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func formatRate(_ fps: Double) -> String {
        fps == fps.rounded() ? String(Int(fps)) : String((fps * 100).rounded() / 100)
    }
}

/// 32-bit FNV-1a of a byte span (frame fingerprints: frozen-frame detection, deterministic-capture checks).
public func fnv1a(_ bytes: Span<UInt8>) -> UInt32 {
    var hash: UInt32 = 2_166_136_261
    for i in bytes.indices {
        hash ^= UInt32(bytes[i])
        hash = hash &* 16_777_619
    }
    return hash
}
