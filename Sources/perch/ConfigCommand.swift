import ArgumentParser
import Foundation
import PerchAgent

/// `perch config`: work with `perchd.toml` files.
struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check perchd configuration files.",
        subcommands: [Check.self, Defaults.self])

    /// `perch config check FILE…`: every problem with its key path and reason; non-zero exit on any.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate perchd.toml files: unknown keys, wrong types, out-of-range values, missing files.",
            discussion: "Prints one line per problem, 'FILE: key.path: reason', then 'FILE: ok' for clean files. "
                + "Exits 1 when any file has a problem.")

        @Argument(help: "The perchd.toml files.") var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                let (_, problems) = ConfigurationLoader.check(path: file)
                if problems.isEmpty {
                    print("\(file): ok")
                } else {
                    failed = true
                    for problem in problems { print("\(file): \(problem)") }
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    /// `perch config defaults`: the table of every key and its default.
    struct Defaults: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every key, its range and its default.")

        func run() throws {
            print(ConfigurationSchema.defaultsTable())
        }
    }
}
