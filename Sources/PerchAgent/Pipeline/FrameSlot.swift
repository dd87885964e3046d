import Foundation

/// A captured, preprocessed frame waiting for inference.
struct CapturedFrame: Sendable {
    /// The model input, already quantized.
    var input: [Int8]
    /// Which model input layout it was prepared for.
    var generation: Int
    /// Wall-clock capture time, Unix epoch milliseconds.
    var wallMs: Int64
    /// Monotonic capture time, nanoseconds.
    var monotonicNs: Int64
    /// The frame as a JPEG snapshot, if small enough: MJPEG as it came, raw frames encoded while an event may
    /// follow. Bytes, not `Data`: it becomes `Data` only when an event is journaled.
    var jpeg: [UInt8]?
}

/// The one-frame hand-off between capture and inference: the newest frame wins.
///
/// `put` replaces a frame still waiting (and counts it as dropped for load); `take` blocks until a
/// frame arrives or the slot is closed and empty.
final class FrameSlot: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var frame: CapturedFrame?
    private var closed = false
    private var droppedCount: Int64 = 0

    /// Frames replaced before inference took them.
    var dropped: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return droppedCount
    }

    /// Offers a frame; returns whether one was dropped to make room.
    @discardableResult
    func put(_ newFrame: CapturedFrame) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let dropped = frame != nil
        if dropped { droppedCount += 1 }
        frame = newFrame
        condition.signal()
        return dropped
    }

    /// Waits for the next frame; nil once closed and drained.
    func take() -> CapturedFrame? {
        condition.lock()
        defer { condition.unlock() }
        while frame == nil && !closed { condition.wait() }
        let taken = frame
        frame = nil
        return taken
    }

    /// Wakes the consumer; after the waiting frame (if any), `take` returns nil.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }
}
