import PerchInference

/// The outcome of running one vectors case through an interpreter.
public struct CaseOutcome: Equatable, Sendable {
    /// The case's name.
    public var name: String
    /// Why the case did not reproduce bit-exactly, or `nil` when it did.
    public var failure: CaseFailure?

    /// Whether every output matched exactly.
    public var passed: Bool { failure == nil }
}

/// Why a case failed.
public enum CaseFailure: Equatable, Sendable, CustomStringConvertible {
    /// The case's input or output does not describe the model's tensor at that position.
    case tensorMismatch(kind: String, position: Int, detail: String)
    /// The interpreter refused the input.
    case input(InterpreterError)
    /// An output differs: how many elements, the first differing index and the values there.
    case outputDiffers(position: Int, differing: Int, firstIndex: Int, expected: String, actual: String)

    public var description: String {
        switch self {
        case .tensorMismatch(let kind, let position, let detail): return "\(kind) \(position): \(detail)"
        case .input(let error): return "input rejected: \(error)"
        case .outputDiffers(let position, let differing, let firstIndex, let expected, let actual):
            return "output \(position): \(differing) element(s) differ; first at \(firstIndex): "
                + "expected \(expected), got \(actual)"
        }
    }
}

/// Runs golden vectors through Perch's interpreter and compares every output element exactly.
///
/// This is the one implementation behind `perch verify`, the conformance tests, the ARM self-test
/// and the device's check of a model's golden vectors before activation. Tolerance is zero.
public enum GoldenVectorCheck {
    /// Runs every case of `file`.
    ///
    /// - Returns: One outcome per case, in file order.
    public static func run(_ file: VectorFile, on interpreter: Interpreter) -> [CaseOutcome] {
        file.cases.map { run($0, on: interpreter) }
    }

    /// Runs one case: sets its inputs, invokes once, compares its outputs.
    public static func run(_ vectorCase: VectorCase, on interpreter: Interpreter) -> CaseOutcome {
        func fail(_ failure: CaseFailure) -> CaseOutcome { CaseOutcome(name: vectorCase.name, failure: failure) }
        guard vectorCase.outputs.count == interpreter.outputs.count else {
            return fail(.tensorMismatch(kind: "outputs", position: 0, detail: "case lists \(vectorCase.outputs.count), model has \(interpreter.outputs.count)"))
        }
        for input in vectorCase.inputs {
            if let problem = mismatch(input, interpreter.inputs, kind: "input") { return fail(problem) }
            do {
                try interpreter.setInput(input.position, input.data)
            } catch {
                return fail(.input(error))
            }
        }
        for output in vectorCase.outputs {
            if let problem = mismatch(output, interpreter.outputs, kind: "output") { return fail(problem) }
        }
        interpreter.invoke()
        for expected in vectorCase.outputs {
            let actual = interpreter.output(expected.position)
            if let difference = compare(expected.data, actual, position: expected.position) {
                return fail(difference)
            }
        }
        return CaseOutcome(name: vectorCase.name, failure: nil)
    }

    private static func mismatch(_ vector: TensorVector, _ tensors: [TensorInfo], kind: String) -> CaseFailure? {
        guard vector.position >= 0 && vector.position < tensors.count else {
            return .tensorMismatch(kind: kind, position: vector.position, detail: "the model has no such position")
        }
        let tensor = tensors[vector.position]
        if tensor.index != vector.index {
            return .tensorMismatch(kind: kind, position: vector.position, detail: "tensor index \(vector.index) but the model has \(tensor.index)")
        }
        if tensor.shape != vector.shape {
            return .tensorMismatch(kind: kind, position: vector.position, detail: "shape \(formatShape(vector.shape)) but the model has \(formatShape(tensor.shape))")
        }
        if tensor.elementType != vector.data.elementType {
            return .tensorMismatch(kind: kind, position: vector.position, detail: "dtype \(vector.data.elementType) but the model has \(tensor.elementType)")
        }
        return nil
    }

    private static func compare(_ expected: TensorData, _ actual: TensorData, position: Int) -> CaseFailure? {
        switch (expected, actual) {
        case (.int8(let e), .int8(let a)): return firstDifference(e, a, position: position)
        case (.uint8(let e), .uint8(let a)): return firstDifference(e, a, position: position)
        case (.int32(let e), .int32(let a)): return firstDifference(e, a, position: position)
        case (.float32(let e), .float32(let a)):
            // Bit patterns, not ==: the contract is bit-exactness.
            return firstDifference(e.map { $0.bitPattern }, a.map { $0.bitPattern }, position: position, render: { String(Float(bitPattern: $0)) })
        default:
            return .tensorMismatch(kind: "output", position: position, detail: "element type differs")
        }
    }

    private static func firstDifference<T: BinaryInteger>(
        _ expected: [T], _ actual: [T], position: Int, render: (T) -> String = { String($0) }
    ) -> CaseFailure? {
        guard expected.count == actual.count else {
            return .tensorMismatch(kind: "output", position: position, detail: "\(actual.count) elements, expected \(expected.count)")
        }
        var first = -1
        var differing = 0
        for index in expected.indices where expected[index] != actual[index] {
            if first < 0 { first = index }
            differing += 1
        }
        guard first >= 0 else { return nil }
        return .outputDiffers(position: position, differing: differing, firstIndex: first, expected: render(expected[first]), actual: render(actual[first]))
    }

    private static func formatShape(_ shape: [Int]) -> String {
        var text = "["
        for (index, dim) in shape.enumerated() {
            text += (index > 0 ? "," : "") + String(dim)
        }
        return text + "]"
    }
}
