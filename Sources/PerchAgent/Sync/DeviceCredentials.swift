import Foundation

/// The device's identity after enrollment, kept in `<state_dir>/device-token.json` with mode 0600.
public struct DeviceCredentials: Codable, Sendable, Equatable {
    /// The server-assigned device id.
    public var deviceId: String
    /// The bearer token (shown once by the server).
    public var token: String

    /// Creates credentials.
    public init(deviceId: String, token: String) {
        self.deviceId = deviceId
        self.token = token
    }

    /// The file in a state directory.
    public static func path(stateDirectory: String) -> String { stateDirectory + "/device-token.json" }

    /// Reads the credentials, or nil when the device has not enrolled yet.
    ///
    /// - Throws: A decoding error when the file exists but is corrupt.
    public static func load(stateDirectory: String) throws -> DeviceCredentials? {
        guard let data = FileManager.default.contents(atPath: path(stateDirectory: stateDirectory)) else { return nil }
        return try JSONDecoder().decode(DeviceCredentials.self, from: data)
    }

    /// Writes the credentials atomically (temporary file with mode 0600, fsync, rename).
    ///
    /// - Throws: A file-system error.
    public func save(stateDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let target = Self.path(stateDirectory: stateDirectory)
        let temporary = target + ".tmp"
        try AtomicFile.write(try JSONEncoder().encode(self), to: target, temporary: temporary, mode: 0o600)
    }
}

/// Crash-safe file replacement: write a temporary file, fsync it, rename it over the target, fsync the directory.
enum AtomicFile {
    static func write(_ data: Data, to target: String, temporary: String, mode: mode_t) throws {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        // The mode argument is masked by umask; set it explicitly.
        fchmod(fd, mode)
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let directory = (target as NSString).deletingLastPathComponent
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
