import Foundation
import PerchInference
import PerchKernels
import PerchTFLite
import Testing

/// A model Perch cannot run is refused at prepare time with an error naming the operator and the problem.
@Suite struct InterpreterErrorTests {
    private func fixture(_ name: String) throws -> TFLiteModel {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        return try TFLiteModel(bytes: [UInt8](try Data(contentsOf: url)))
    }

    @Test func unsupportedOperatorNamesOpVersionAndIndex() throws {
        let model = try fixture("unsupported_op.tflite")
        #expect(throws: InterpreterError.unsupportedOperator(.argMax, version: 3, operatorIndex: 0)) {
            try Interpreter(model: model)
        }
        let message = InterpreterError.unsupportedOperator(.argMax, version: 3, operatorIndex: 0).description
        #expect(message == "operator 0: ARG_MAX version 3 is not supported")
    }

    @Test func customOperatorsAreNeverRun() throws {
        #expect(throws: InterpreterError.customOperator(name: "MyOp", operatorIndex: 0)) {
            try Interpreter(model: try fixture("custom_op.tflite"))
        }
    }

    @Test func staticShapesInconsistentWithTheOperatorAreRejected() throws {
        // The output claims 7 rows; the convolution computes 6. Planning memory from the claim would
        // under- or over-run the arena, so the model is refused.
        #expect {
            try Interpreter(model: try fixture("inconsistent_shape.tflite"))
        } throws: { error in
            guard case InterpreterError.kernel(.shapeMismatch(.output(0), let expected, let actual), .conv2D, 0) = error
            else { return false }
            return expected[1] == 6 && actual[1] == 7
        }
    }

    @Test func everyOwnConformanceModelPrepares() throws {
        // Sanity: the fixtures' sources are valid, so the failures above come from the single edit.
        for suite in TestModels.ownSuites {
            let (model, _) = try suite.load()
            _ = try Interpreter(model: model)
        }
    }
}
