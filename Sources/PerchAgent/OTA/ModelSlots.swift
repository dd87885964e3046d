import Foundation
import PerchWire

/// The device's model slots in `<state_dir>/models`: the active model, the previous one, a staging area.
///
/// Model files are content-addressed (`<sha256>.tflite`, written and fsynced before use); which one is
/// active is recorded in `slots.json`, replaced atomically (temporary file, fsync, rename, fsync of the
/// directory). A crash at any moment leaves either the old or the new `slots.json`, both naming complete
/// files, so the device always has a valid model.
public final class ModelSlots: Sendable {
    /// One installed model.
    public struct Slot: Codable, Sendable, Equatable {
        /// Model name.
        public var name: String
        /// Model version.
        public var version: String
        /// SHA-256 of the bytes (also the file name).
        public var sha256: String
        /// Labels in output order.
        public var labels: [String]
        /// Normalization mean (`real = (pixel - mean) / std`).
        public var mean: Double
        /// Normalization std.
        public var std: Double
        /// The rollout that assigned it.
        public var rolloutId: Int64?
        /// The preprocessing recipe in the manifest's short spellings (absent in slots written by older daemons:
        /// the default recipe).
        public var preprocessing: Preprocessing?

        /// Creates a slot record.
        public init(
            name: String, version: String, sha256: String, labels: [String], mean: Double, std: Double,
            rolloutId: Int64?, preprocessing: Preprocessing? = nil
        ) {
            self.name = name
            self.version = version
            self.sha256 = sha256
            self.labels = labels
            self.mean = mean
            self.std = std
            self.rolloutId = rolloutId
            self.preprocessing = preprocessing
        }
    }

    /// The persisted state.
    public struct State: Codable, Sendable, Equatable {
        /// The active over-the-air model; nil runs the factory model.
        public var active: Slot?
        /// The slot to roll back to (nil = factory model).
        public var previous: Slot?
        /// Whether `active` is inside its health window.
        public var probation = false
        /// Daemon starts while on probation (boot counting).
        public var probationBoots = 0
        /// `name@version` of every model that failed: never retried automatically.
        public var failed: [String] = []
        /// An activation report not yet delivered.
        public var pendingReport: ActivationReport?

        /// Creates an empty state.
        public init() {}
    }

    /// The directory.
    public let directory: String

    /// Opens (creating) the slot directory.
    ///
    /// - Throws: A file-system error.
    public init(stateDirectory: String) throws {
        directory = stateDirectory + "/models"
        try FileManager.default.createDirectory(atPath: directory + "/staging", withIntermediateDirectories: true)
    }

    var statePath: String { directory + "/slots.json" }

    /// The persisted state (empty when none was written).
    ///
    /// - Throws: A decoding error for a corrupt file.
    public func load() throws -> State {
        guard let data = FileManager.default.contents(atPath: statePath) else { return State() }
        return try JSONDecoder().decode(State.self, from: data)
    }

    /// Replaces the state atomically.
    ///
    /// - Throws: A file-system error.
    public func save(_ state: State) throws {
        try AtomicFile.write(try JSONEncoder().encode(state), to: statePath, temporary: statePath + ".tmp", mode: 0o644)
    }

    /// The path of a model file.
    public func modelPath(sha256: String) -> String { directory + "/\(sha256).tflite" }

    /// The staging file of a download.
    public func stagingPath(sha256: String) -> String { directory + "/staging/\(sha256).part" }

    /// Moves a verified staging file into place (rename + fsync).
    ///
    /// - Throws: A file-system error.
    public func install(stagedSHA256 sha256: String) throws {
        let staged = stagingPath(sha256: sha256)
        let fd = open(staged, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(staged, modelPath(sha256: sha256)) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// The package of a slot, re-checking the file's hash (a corrupt file is not run).
    public func package(_ slot: Slot) -> ModelPackage? {
        guard let data = FileManager.default.contents(atPath: modelPath(sha256: slot.sha256)),
            ModelVerifier.sha256Hex(data) == slot.sha256
        else { return nil }
        // The spellings were checked when the model was downloaded; a slot that no longer parses is not run.
        guard let recipe = try? ModelPackage.recipe(slot.preprocessing, squareInput: true) else { return nil }
        return ModelPackage(
            bytes: [UInt8](data), name: slot.name, version: slot.version, labels: slot.labels,
            normalization: ModelPackage.normalization(mean: slot.mean, std: slot.std), recipe: recipe)
    }

    /// At daemon start: counts a boot on probation as a failure and rolls back, then returns the model to run.
    ///
    /// - Parameter factory: The factory model (used when no valid over-the-air slot exists).
    /// - Returns: The package to start with and the state after boot counting.
    /// - Throws: A file-system error.
    public func bootModel(factory: ModelPackage) throws -> (ModelPackage, State) {
        var state = try load()
        if state.probation, let active = state.active {
            state.probationBoots += 1
            // Restarting inside the health window is a failure: roll back, never retry that version.
            state.failed.append("\(active.name)@\(active.version)")
            if let rolloutId = active.rolloutId {
                state.pendingReport = ActivationReport(
                    rolloutId: rolloutId, outcome: .rolledBack,
                    detail: ModelRefusal.restartedInHealthWindow.description)
            }
            state.active = state.previous
            state.previous = nil
            state.probation = false
            try save(state)
        }
        if let active = state.active, let package = package(active) { return (package, state) }
        return (factory, state)
    }
}
