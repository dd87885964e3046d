import ArgumentParser
import Foundation
import PerchConformance
import PerchInference

/// `perch verify MODEL VECTORS.json`: runs golden vectors and reports bit-exactness.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every case of a vectors file and check each output bit-exactly.",
        discussion: "Prints one line per failing case and a last line 'N/M cases bit-exact'. Exits 0 only when all pass."
    )

    @Argument(help: "The .tflite model.") var model: String
    @Argument(help: "A vectors JSON file (format: ../shared/models/README.md).") var vectors: String
    @Flag(help: "Use the reference kernels instead of the optimized ones.") var reference = false

    func run() throws {
        let interpreter = try loadInterpreter(model, options: InterpreterOptions(kernels: reference ? .reference : .optimized))
        let file: VectorFile
        do {
            file = try VectorFile(json: try readFile(vectors))
        } catch let error as VectorFileError {
            throw CLIError.vectors(path: vectors, error)
        }
        let outcomes = GoldenVectorCheck.run(file, on: interpreter)
        for outcome in outcomes {
            if let failure = outcome.failure { print("FAIL \(outcome.name): \(failure)") }
        }
        let passed = outcomes.filter(\.passed).count
        print("\(passed)/\(outcomes.count) cases bit-exact")
        if passed != outcomes.count { Foundation.exit(1) }
    }
}
