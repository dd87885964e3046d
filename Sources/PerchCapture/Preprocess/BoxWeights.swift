/// The integer overlap weights of the exact area-average ("box") filter along one axis.
///
/// In units where one source pixel has length `N` (the target count) and one output pixel has length `S` (the
/// source count), source pixel `i` covers `[i·N, (i+1)·N)` and output pixel `j` covers `[j·S, (j+1)·S)`; the weight
/// is their overlap `w[j][i] = max(0, min((i+1)·N, (j+1)·S) − max(i·N, j·S))`, an integer in `0...min(N, S)`.
/// Every output's weights sum to `S`, for shrinking and enlarging alike. This is step 3 of
/// `models/cat/preprocess.py` (`box_weights`). Only the nonzero run of each output is stored.
public struct BoxWeights: Sendable, Equatable {
    /// Source pixels along the axis (`S`).
    public let sourceCount: Int
    /// Output pixels along the axis (`N`).
    public let targetCount: Int
    /// First source pixel with a nonzero weight, per output pixel.
    public private(set) var firstSource: [Int]
    /// Output `j`'s nonzero weights are `weights[offsets[j]..<offsets[j + 1]]` (`targetCount + 1` entries).
    public private(set) var offsets: [Int]
    /// The nonzero weights of all outputs, concatenated.
    public private(set) var weights: [Int]

    /// Computes the weights of an `S → N` axis.
    ///
    /// - Parameters:
    ///   - sourceCount: `S`, the source length in pixels.
    ///   - targetCount: `N`, the output length in pixels.
    /// - Precondition: both counts are positive.
    public init(sourceCount s: Int, targetCount n: Int) {
        precondition(s > 0 && n > 0, "box filter lengths must be positive")
        sourceCount = s
        targetCount = n
        firstSource = []
        offsets = [0]
        weights = []
        firstSource.reserveCapacity(n)
        offsets.reserveCapacity(n + 1)
        weights.reserveCapacity(n * (s / n + 2))
        for j in 0..<n {
            let low = j * s
            let high = (j + 1) * s
            // Source pixels overlapping [low, high): from the one containing `low` to the one containing `high − 1`,
            // so every stored weight is positive.
            let first = low / n
            let last = (high - 1) / n
            firstSource.append(first)
            for i in first...last {
                weights.append(min((i + 1) * n, high) - max(i * n, low))
            }
            offsets.append(weights.count)
        }
    }

    /// The weight `w[j][i]` of source pixel `i` in output pixel `j` (0 where they do not overlap).
    ///
    /// - Precondition: `j` in `0..<targetCount`.
    public func weight(output j: Int, source i: Int) -> Int {
        let run = sourceRange(output: j)
        return run.contains(i) ? weights[offsets[j] + i - run.lowerBound] : 0
    }

    /// The source pixels with a nonzero weight in output pixel `j`.
    ///
    /// - Precondition: `j` in `0..<targetCount`.
    public func sourceRange(output j: Int) -> Range<Int> {
        firstSource[j]..<(firstSource[j] + offsets[j + 1] - offsets[j])
    }

    /// The full `targetCount × sourceCount` matrix (rows = outputs), for inspection and tests.
    public var matrix: [[Int]] {
        (0..<targetCount).map { j in (0..<sourceCount).map { i in weight(output: j, source: i) } }
    }
}
