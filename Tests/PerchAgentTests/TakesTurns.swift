import Testing

/// Test cases that run real servers and daemons take turns: on a 2-core machine, two of them at once (next to
/// the crash test's child daemons) can starve an in-process server past its clients' timeouts.
actor HeavyTestGate {
    static let shared = HeavyTestGate()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

/// `.takesTurns`: each test case of the suite runs alone among the suites that carry this trait.
struct TakesTurnsTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // The suite itself passes through; its test cases take the gate one at a time.
        guard testCase != nil, !test.isSuite else { return try await function() }
        await HeavyTestGate.shared.acquire()
        do {
            try await function()
        } catch {
            await HeavyTestGate.shared.release()
            throw error
        }
        await HeavyTestGate.shared.release()
    }
}

extension Trait where Self == TakesTurnsTrait {
    /// Run each test case alone among the heavy end-to-end suites.
    static var takesTurns: Self { Self() }
}
