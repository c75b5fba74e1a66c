import CoverAnalysis
import Foundation
import Imaging
import Testing
@testable import Store

/// Collections and shard progress, as `embed --collection --shard` writes them.
@Suite struct CollectionTests {
    static let model = "model-c"

    /// What CoverScan saves for one cover: its embedding with the payload, and its copy descriptor.
    static func records(_ i: Int) throws -> [CoverRecord] {
        let image = RGBImage(width: 48, height: 72, pixels: (0..<(48 * 72 * 3)).map { UInt8(($0 * 7 + i) % 256) })
        let payload = try JSONEncoder().encode(StoredPayload(statistics: ColourStatistics(measuring: image), thumbnail: image))
        let hash = String(format: "%064x", i)
        return [CoverRecord(contentHash: hash, modelFingerprint: model, embedding: (0..<8).map { Float($0 + i) }, statistics: payload),
                CoverRecord(contentHash: hash, modelFingerprint: CoverScan.copyKey(model), embedding: (0..<8).map { Float($0 * i) })]
    }

    /// Runs one shard of a 30-file folder the way the embed command does, stopping after `batches` batches when given.
    static func runShard(_ shard: Shard, url: String, batches: Int? = nil) throws {
        let store = try PostgresStoreTests.open(url)
        let files = (0..<30).map { "covers/\($0).png" }.filter(shard.contains)
        try store.beginShard(collection: "popular-2026", shard: shard, modelFingerprint: model, dimension: 8, label: "test",
                             expected: files.count)
        for (n, start) in stride(from: 0, to: files.count, by: 4).enumerated() {
            if let batches, n >= batches { return }
            let batch = Array(files[start..<min(files.count, start + 4)])
            let numbers = batch.map { Int($0.dropFirst(7).dropLast(4))! }
            try store.save(try numbers.flatMap(records),
                           files: zip(batch, numbers).map { ScannedFileKey(relativePath: $0, contentHash: String(format: "%064x", $1)) })
        }
        try store.finishShard(modelFingerprint: model, paths: files)
    }

    @Test func statusNamesIncompleteShardsUntilTheyAreRunAgain() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("collection")
        let shards = try (0..<3).map { try Shard(index: $0, count: 3) }
        try Self.runShard(shards[0], url: url)
        try Self.runShard(shards[1], url: url, batches: 1)   // a worker killed after its first batch
        let store = try PostgresStoreTests.open(url)
        var status = try store.status(collection: "popular-2026")
        #expect(status.models.count == 1)
        #expect(status.models[0].incompleteShards.map(\.index) == [1, 2])
        #expect(status.models[0].shards[2].expected == nil)   // never started

        try Self.runShard(shards[1], url: url)
        try Self.runShard(shards[2], url: url)
        try Self.runShard(shards[2], url: url)   // twice: nothing duplicated
        status = try store.status(collection: "popular-2026")
        #expect(status.files == 30)
        #expect(status.models[0].embedded == 30)
        #expect(status.models[0].incompleteShards.isEmpty)
        #expect(try server.psql(url.database, "SELECT count(*) FROM coverlens_covers") == "60")

        let all = try store.covers(collection: "popular-2026", modelFingerprint: Self.model)
        #expect(all.total == 30 && all.covers.count == 30)
        #expect(all.covers.map(\.file) == all.covers.map(\.file).sorted())
        let expected = try Self.records(7)
        let seven = try #require(all.covers.first { $0.file == "covers/7.png" })
        #expect(seven.embedding == expected[0].embedding && seven.copyDescriptor == expected[1].embedding)
        #expect(seven.thumbnail.width == 48)

        let sample = try store.covers(collection: "popular-2026", modelFingerprint: Self.model, sampleLimit: 10, seed: 4)
        #expect(sample.total == 30 && sample.covers.count == 10)
        #expect(try store.covers(collection: "popular-2026", modelFingerprint: Self.model, sampleLimit: 10, seed: 4).covers.map(\.file)
                == sample.covers.map(\.file))

        #expect { try store.covers(collection: "popular-2026", modelFingerprint: "another-model") } throws: {
            if case StoreError.collectionLacksModel(_, _, _, let models) = $0 { models.contains { $0.contains(Self.model) } } else { false }
        }
        #expect(throws: StoreError.noSuchCollection(store: store.location.redacted, name: "nope")) { try store.status(collection: "nope") }
    }

    @Test func filesGoneSinceTheLastRunLeaveTheCollection() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("pruned")
        try Self.runShard(.whole, url: url)
        let store = try PostgresStoreTests.open(url)
        try store.beginShard(collection: "popular-2026", shard: .whole, modelFingerprint: Self.model, dimension: 8, label: "test", expected: 2)
        try store.save(try Self.records(1) + Self.records(2), files: [1, 2].map { ScannedFileKey(relativePath: "covers/\($0).png", contentHash: String(format: "%064x", $0)) })
        try store.finishShard(modelFingerprint: Self.model, paths: ["covers/1.png", "covers/2.png"])
        #expect(try store.status(collection: "popular-2026").files == 2)
    }

    @Test func searchWithinACollection() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("searchcollection")
        try Self.runShard(.whole, url: url)
        let store = try PostgresStoreTests.open(url)
        // Vectors of another collection, nearer to the query, must not come back.
        try store.save((100..<110).map { CoverRecord(contentHash: "other-\($0)", modelFingerprint: Self.model, embedding: (0..<8).map { Float($0 + 3) }) })
        try store.buildIndex(modelFingerprint: Self.model)
        let query = (0..<8).map { Float($0 + 3) }
        let found = try store.nearest(to: query, modelFingerprint: Self.model, k: 5, collection: "popular-2026")
        #expect(found.count == 5)
        #expect(found.allSatisfy { !$0.contentHash.hasPrefix("other") })
        #expect(found.first?.contentHash == String(format: "%064x", 3))
    }
}
