import Foundation
import Testing
@testable import CoverAnalysis

@Suite struct EmbeddingStoreTests {
    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)/embeddings.sqlite")
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func recordsRoundTripAndCountHitsAndMisses() throws {
        let url = Self.scratch()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let store = try EmbeddingStore(url: url)
        let record = EmbeddingStore.Record(contentHash: "abc", modelFingerprint: "m1", embedding: [1.5, -2, 0.25],
                                           statistics: Data("{\"b\":1}".utf8))
        let failed = EmbeddingStore.Record(contentHash: "def", modelFingerprint: "m1", decodeError: "truncated")
        try store.save([record, failed])
        #expect(try store.lookup(contentHash: "abc", modelFingerprint: "m1") == record)
        #expect(try store.lookup(contentHash: "def", modelFingerprint: "m1") == failed)
        #expect(try store.lookup(contentHash: "abc", modelFingerprint: "other-model") == nil)
        #expect(store.hits == 2 && store.misses == 1)
        // A second handle (another run) sees the same data.
        let again = try EmbeddingStore(url: url)
        #expect(try again.lookup(contentHash: "abc", modelFingerprint: "m1")?.embedding == [1.5, -2, 0.25])
    }

    @Test func aDamagedFileGivesAClearErrorAndRebuildStartsAfresh() throws {
        let url = Self.scratch()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: url)
        do {
            _ = try EmbeddingStore(url: url)
            Issue.record("a damaged store opened without error")
        } catch {
            #expect("\(error)".contains("--rebuild-cache"), "\(error)")
            #expect("\(error)".contains(url.path))
        }
        let rebuilt = try EmbeddingStore(url: url, rebuild: true)
        #expect(try rebuilt.count() == 0)
    }
}
