import Foundation
import PerchServer
import Testing

@Suite struct DatabaseTests {
    @Test func databaseIsInWALModeWithEveryMigrationApplied() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("perch-db-\(UUID().uuidString).sqlite")
        let database = try ServerDatabase(path: path.path)
        #expect(try database.journalMode() == "wal")
        #expect(try database.appliedMigrations() == ["v1-devices-results", "v2-models-rollouts", "v3-query-indexes"])
        // Reopening runs no migration twice and keeps the schema.
        let reopened = try ServerDatabase(path: path.path)
        #expect(try reopened.appliedMigrations().count == 3)
    }

    @Test func secretsAreGeneratedOnceWithOwnerOnlyPermissions() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perch-cfg-\(UUID().uuidString)")
        let first = try ServerConfiguration.resolving(dataDirectory: directory, environment: [:])
        let second = try ServerConfiguration.resolving(dataDirectory: directory, environment: [:])
        #expect(first.adminToken == second.adminToken)
        #expect(first.adminToken != first.enrollmentSecret)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: directory.appendingPathComponent("admin.token").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let fromEnvironment = try ServerConfiguration.resolving(
            dataDirectory: directory, environment: ["PERCH_ADMIN_TOKEN": "from-env"])
        #expect(fromEnvironment.adminToken == "from-env")
    }
}
