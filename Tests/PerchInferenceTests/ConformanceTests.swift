import PerchConformance
import PerchInference
import Testing

/// Layers 1 and 2 of the conformance contract: every golden-vector case reproduces bit for bit,
/// through the optimized kernels and through the reference kernels.
@Suite struct ConformanceTests {
    private func check(_ suite: TestModels.Suite, kernels: InterpreterOptions.Kernels) throws {
        let (model, file) = try suite.load()
        let interpreter = try Interpreter(model: model, options: InterpreterOptions(kernels: kernels))
        let outcomes = GoldenVectorCheck.run(file, on: interpreter)
        #expect(!outcomes.isEmpty)
        for outcome in outcomes {
            #expect(outcome.failure == nil, "\(suite.vectorsPath) \(outcome.name): \(outcome.failure.map(String.init(describing:)) ?? "")")
        }
    }

    @Test(
        "Shared golden vectors (../shared/models) are bit-exact with TFLite Micro",
        .enabled(if: TestModels.sharedAvailable, "../shared/models is absent: shared conformance vectors skipped"),
        arguments: TestModels.sharedSuites, [InterpreterOptions.Kernels.optimized, .reference])
    func sharedVectorsAreBitExact(_ suite: TestModels.Suite, kernels: InterpreterOptions.Kernels) throws {
        try check(suite, kernels: kernels)
    }

    @Test(
        "The project's own conformance suite is bit-exact with TFLite Micro",
        arguments: TestModels.ownSuites, [InterpreterOptions.Kernels.optimized, .reference])
    func ownVectorsAreBitExact(_ suite: TestModels.Suite, kernels: InterpreterOptions.Kernels) throws {
        try check(suite, kernels: kernels)
    }

    @Test func ownSuiteIsPresent() {
        // The suite is committed: an empty list would silently test nothing.
        #expect(TestModels.ownSuites.count >= 20)
    }
}
