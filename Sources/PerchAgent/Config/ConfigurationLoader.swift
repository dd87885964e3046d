import Foundation
import TOMLKit

/// Reads `perchd.toml` into an ``AgentConfiguration``, collecting every problem instead of stopping at the first.
public enum ConfigurationLoader {
    /// Loads and validates a file.
    ///
    /// - Parameter path: The TOML file.
    /// - Returns: The configuration.
    /// - Throws: ``ConfigurationError`` listing every problem (missing file, syntax, unknown key, wrong type,
    ///   out-of-range value, inconsistent values).
    public static func load(path: String) throws(ConfigurationError) -> AgentConfiguration {
        let (configuration, problems) = check(path: path)
        guard let configuration, problems.isEmpty else { throw ConfigurationError(path: path, problems: problems) }
        return configuration
    }

    /// Validates a file and returns the configuration (when it parsed) and every problem.
    ///
    /// - Parameter path: The TOML file.
    /// - Returns: The configuration built from the valid keys (nil if the file is missing or not TOML) and the problems.
    public static func check(path: String) -> (AgentConfiguration?, [ConfigurationProblem]) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(bytes: data, encoding: .utf8)
        else { return (nil, [ConfigurationProblem("", .missingFile(path: path))]) }
        return check(text: text)
    }

    /// Validates TOML text.
    ///
    /// - Parameter text: The document.
    /// - Returns: The configuration from the valid keys (nil on a syntax error) and every problem.
    public static func check(text: String) -> (AgentConfiguration?, [ConfigurationProblem]) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let reason = ConfigurationProblem.Reason.syntax(
                message: error.description, line: error.source.begin.line, column: error.source.begin.column)
            return (nil, [ConfigurationProblem("", reason)])
        } catch {
            return (nil, [ConfigurationProblem("", .syntax(message: "\(error)", line: 0, column: 0))])
        }
        var configuration = AgentConfiguration()
        var problems: [ConfigurationProblem] = []
        let fields = Dictionary(uniqueKeysWithValues: ConfigurationSchema.fields.map { ($0.path, $0) })
        for tableName in table.keys.sorted() {
            guard let value = table[tableName] else { continue }
            guard ConfigurationSchema.tables.contains(tableName) else {
                problems.append(ConfigurationProblem(tableName, .unknownKey))
                continue
            }
            guard let section = value.table else {
                problems.append(
                    ConfigurationProblem(
                        tableName, .wrongType(expected: "table", found: ConfigurationSchema.typeName(value))))
                continue
            }
            for key in section.keys.sorted() {
                let path = tableName + "." + key
                guard let value = section[key] else { continue }
                if path == ConfigurationSchema.groupsTable {
                    problems += applyGroups(value, to: &configuration)
                } else if let field = fields[path] {
                    if let reason = field.apply(value, &configuration) {
                        problems.append(ConfigurationProblem(path, reason))
                    }
                } else {
                    problems.append(ConfigurationProblem(path, .unknownKey))
                }
            }
        }
        problems += crossFieldProblems(configuration)
        return (configuration, problems)
    }

    static func applyGroups(_ value: any TOMLValueConvertible, to configuration: inout AgentConfiguration)
        -> [ConfigurationProblem]
    {
        let path = ConfigurationSchema.groupsTable
        guard let table = value.table else {
            return [
                ConfigurationProblem(path, .wrongType(expected: "table", found: ConfigurationSchema.typeName(value)))
            ]
        }
        var problems: [ConfigurationProblem] = []
        for group in table.keys.sorted() {
            guard let members = table[group]?.array, members.allSatisfy({ $0.string != nil }) else {
                let found = table[group].map(ConfigurationSchema.typeName) ?? "nothing"
                problems.append(
                    ConfigurationProblem(path + "." + group, .wrongType(expected: "array of strings", found: found)))
                continue
            }
            let labels = members.compactMap(\.string)
            guard !labels.isEmpty else {
                problems.append(ConfigurationProblem(path + "." + group, .invalid("a group needs at least one label")))
                continue
            }
            configuration.postProcess.groups[group] = labels
        }
        return problems
    }

    /// Rules that involve several keys or the file system.
    static func crossFieldProblems(_ configuration: AgentConfiguration) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        let post = configuration.postProcess
        if post.thresholdOff > post.thresholdOn {
            problems.append(
                ConfigurationProblem(
                    "postprocess.threshold_off",
                    .invalid("must be ≤ postprocess.threshold_on (\(post.thresholdOn)) for hysteresis")))
        }
        let thermal = configuration.thermal
        if thermal.coolCelsius >= thermal.hotCelsius {
            problems.append(
                ConfigurationProblem(
                    "thermal.cool_celsius", .invalid("must be below thermal.hot_celsius (\(thermal.hotCelsius))")))
        }
        if thermal.throttledFramesPerSecond > configuration.camera.framesPerSecond {
            problems.append(
                ConfigurationProblem(
                    "thermal.throttled_fps",
                    .invalid("must not exceed camera.fps (\(configuration.camera.framesPerSecond))")))
        }
        let sync = configuration.sync
        if sync.backoffInitialMs > sync.backoffMaxMs {
            problems.append(
                ConfigurationProblem("sync.backoff_initial_ms", .invalid("must be ≤ sync.backoff_max_ms")))
        }
        if !sync.serverURL.isEmpty && sync.enrollmentSecretFile.isEmpty {
            problems.append(
                ConfigurationProblem("sync.enrollment_secret_file", .invalid("required when sync.server_url is set")))
        }
        if !sync.caFile.isEmpty && !FileManager.default.fileExists(atPath: sync.caFile) {
            problems.append(ConfigurationProblem("sync.ca_file", .fileNotFound(path: sync.caFile)))
        }
        if !sync.serverURL.isEmpty && configuration.ota.enabled && configuration.ota.fleetPublicKey.isEmpty {
            problems.append(
                ConfigurationProblem(
                    "ota.fleet_public_key", .invalid("required when ota.enabled and sync.server_url are set")))
        }
        return problems
    }
}
