import Foundation
import Testing
@testable import Store

@Suite struct StoreLocationTests {
    @Test func passwordInTheURLIsNeverShown() throws {
        let location = try StoreLocation("postgresql://ana:hunter2@db.example:6543/covers", environment: [:])
        #expect(location.redacted == "postgresql://ana@db.example:6543/covers")
        #expect(!"\(location)".contains("hunter2"))
        #expect(location.hasPassword)
        #expect(StoreLocation.redact("postgres://ana:hunter2@x/y") == "postgres://ana:***@x/y")
    }

    @Test func unparseableURLIsRedactedInItsError() {
        #expect {
            try StoreLocation("mysql://ana:hunter2@db/covers", environment: [:])
        } throws: { "\($0)".contains("ana:***@db") && !"\($0)".contains("hunter2") }
        #expect {
            try StoreLocation("postgresql://ana:hunter2@db", environment: [:])
        } throws: { "\($0)".contains("no database") && !"\($0)".contains("hunter2") }
    }

    @Test func passwordComesFromPGPASSWORDThenThePasswordFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            # comment
            other.host:5432:*:ana:wrong
            db.example:*:covers:ana:from\\:file
            """.write(to: file, atomically: true, encoding: .utf8)
        let fromFile = try StoreLocation("postgresql://ana@db.example/covers", environment: ["PGPASSFILE": file.path])
        #expect(fromFile.password == "from:file")
        #expect(fromFile.port == 5432)
        let fromEnvironment = try StoreLocation("postgresql://ana@db.example/covers",
                                                environment: ["PGPASSFILE": file.path, "PGPASSWORD": "from-env"])
        #expect(fromEnvironment.password == "from-env")
        let none = try StoreLocation("postgresql://bob@db.example/covers", environment: ["PGPASSFILE": file.path])
        #expect(none.password == nil)
    }

    @Test func sslModeIsReadAndChecked() throws {
        #expect(try StoreLocation("postgresql://a@h/d?sslmode=disable", environment: [:]).sslMode == .disable)
        #expect(try StoreLocation("postgresql://a@h/d", environment: [:]).sslMode == .prefer)
        #expect(throws: StoreLocation.LocationError.self) { try StoreLocation("postgresql://a@h/d?sslmode=sometimes", environment: [:]) }
    }
}
