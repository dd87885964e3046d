import ArgumentParser
import Foundation

/// `perch`: inspect, run, verify and benchmark int8 TensorFlow Lite models with Perch's runtime.
@main
struct Perch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perch",
        abstract: "Perch: a bit-exact int8 TensorFlow Lite runtime for camera ML on embedded Linux.",
        subcommands: [
            Inspect.self, Infer.self, Verify.self, Bench.self, Capture.self, Camera.self, Config.self, Eval.self,
            Devices.self, Results.self, ModelCommand.self, RolloutCommand.self, Keys.self, Demo.self,
        ]
    )

    /// Runs a command; any failure is one clear line on stderr and a non-zero exit.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = (error as? CLIError).map(\.description) ?? message(for: error)
            FileHandle.standardError.write(Data("perch: \(message)\n".utf8))
            Foundation.exit(code == .validationFailure ? 64 : 1)
        }
    }
}
