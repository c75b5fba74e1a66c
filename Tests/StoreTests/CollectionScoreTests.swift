import Foundation
import Testing

/// `coverlens score --popular collection:NAME` as a user runs it, against the real server: the same
/// covers scored from their folders (SQLite cache) and from the collections their folders were
/// embedded into give the same results; a large collection's set-wide analyses run on a sample the
/// report names; a model the collection lacks is one sentence; the password is never written.
@Suite(.serialized) struct CollectionScoreTests {
    /// Popular, other and candidate folders of the bundled example covers, copied so the test owns them.
    struct Folders {
        let root: URL
        var popular: URL { root.appendingPathComponent("popular") }
        var other: URL { root.appendingPathComponent("other") }
        var candidates: URL { root.appendingPathComponent("candidates") }

        init(popular: Int, other: Int, candidates: Int) throws {
            root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("coverlens-collection-score-\(UUID().uuidString)")
            for (role, count) in [("popular", popular), ("other", other), ("candidates", candidates)] {
                let source = CoverlensProcess.repository.appendingPathComponent("Examples/\(role)")
                let files = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".jpg") }.sorted()
                try #require(files.count >= count, "Examples/\(role) has \(files.count) covers")
                let folder = root.appendingPathComponent(role)
                try FileManager.default.createDirectory(at: folder.appendingPathComponent("a"), withIntermediateDirectories: true)
                for (i, name) in files.prefix(count).enumerated() {
                    // A sub-folder too, so collection paths with a slash are compared.
                    try FileManager.default.copyItem(at: source.appendingPathComponent(name),
                                                     to: folder.appendingPathComponent(i % 3 == 0 ? "a/\(name)" : name))
                }
            }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func embed(_ folder: URL, collection: String, url: String) throws -> [String] {
        ["embed", folder.path, "--store", url, "--collection", collection, "--model", try CoverlensProcess.model(), "--threads", "1"]
    }

    static func score(popular: String, other: String, candidates: URL, out: URL, store: [String], extra: [String] = []) throws -> [String] {
        ["score", "--popular", popular, "--other", other, "--candidates", candidates.path, "--out", out.path,
         "--model", try CoverlensProcess.model(), "--threads", "1", "--format", "json,csv"] + store + extra
    }

    /// results.json as a dictionary.
    static func results(_ folder: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("results.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Embeds the folders into collections pop and oth, and scores them from their folders with a
    /// SQLite cache; returns the folder run's results.
    static func prepare(_ folders: Folders, url: String, server: TestServer) throws -> [String: Any] {
        for (folder, name) in [(folders.popular, "pop"), (folders.other, "oth")] {
            let embedded = try CoverlensProcess.run(embed(folder, collection: name, url: url), environment: server.environment)
            try #require(embedded.status == 0, "\(embedded)")
        }
        let out = folders.root.appendingPathComponent("from-folders")
        let fromFolders = try CoverlensProcess.run(score(popular: folders.popular.path, other: folders.other.path, candidates: folders.candidates,
                                                         out: out, store: ["--cache", folders.root.appendingPathComponent("cache.sqlite").path]))
        try #require(fromFolders.status == 0, "\(fromFolders)")
        return try results(out)
    }

    @Test func scoringACollectionEqualsScoringItsFoldersAndNeverWritesThePassword() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("score")
        let folders = try Folders(popular: 14, other: 8, candidates: 3)
        defer { folders.remove() }
        var expected = try Self.prepare(folders, url: url, server: server)

        // The password in the URL itself (the worst case): it must not reach any output.
        let secret = TestServer.password
        let withPassword = url.replacingOccurrences(of: "\(TestServer.superuser)@", with: "\(TestServer.superuser):\(secret)@")
        // The candidates' folder only: the popular and other files are not read (moved away).
        try FileManager.default.moveItem(at: folders.popular, to: folders.root.appendingPathComponent("popular-elsewhere"))
        try FileManager.default.moveItem(at: folders.other, to: folders.root.appendingPathComponent("other-elsewhere"))
        let out = folders.root.appendingPathComponent("from-store")
        let run = try CoverlensProcess.run(Self.score(popular: "collection:pop", other: "collection:oth", candidates: folders.candidates,
                                                      out: out, store: ["--store", withPassword, "--verbose"],
                                                      extra: ["--format", "html,json,csv"]))
        #expect(run.status == 0, "\(run)")
        var actual = try Self.results(out)

        // Equal except where the sets are named: "popular" / "other" against the collections.
        var expectedDataset = try #require(expected["dataset"] as? [String: Any])
        var actualDataset = try #require(actual["dataset"] as? [String: Any])
        #expect(expectedDataset["popularFolder"] as? String == "popular" && actualDataset["popularFolder"] as? String == "collection:pop")
        #expect(expectedDataset["otherFolder"] as? String == "other" && actualDataset["otherFolder"] as? String == "collection:oth")
        #expect(actualDataset["popularSample"] == nil, "14 covers are under the sample limit")
        for key in ["popularFolder", "otherFolder"] { expectedDataset[key] = nil; actualDataset[key] = nil }
        expected["dataset"] = expectedDataset
        actual["dataset"] = actualDataset
        #expect(NSDictionary(dictionary: expected).isEqual(to: actual),
                "results differ:\n\(String(describing: expected).prefix(3000))\n---\n\(String(describing: actual).prefix(3000))")

        // With the HNSW indexes built (`coverlens store index`: embeddings and copy descriptors of
        // every model), the same run gives the same results.
        let index = try CoverlensProcess.run(["store", "index", "--store", url], environment: server.environment)
        #expect(index.status == 0 && index.stdout.contains("copy descriptors") && index.stdout.contains("built coverlens_hnsw_model_"),
                "\(index)")
        // The band descriptors are too long for HNSW: status says they are searched exactly, not to index them.
        let status = try CoverlensProcess.run(["store", "status", "--store", url, "--collection", "pop"], environment: server.environment)
        #expect(status.stdout.contains("copy descriptors searched exactly (4365 values each; pgvector's HNSW index takes at most 2000)")
                && !status.stdout.contains("copy descriptors not indexed"), "\(status)")
        let indexedOut = folders.root.appendingPathComponent("from-store-indexed")
        let indexedRun = try CoverlensProcess.run(Self.score(popular: "collection:pop", other: "collection:oth", candidates: folders.candidates,
                                                             out: indexedOut, store: ["--store", url]), environment: server.environment)
        #expect(indexedRun.status == 0, "\(indexedRun)")
        var indexed = try Self.results(indexedOut)
        var indexedDataset = try #require(indexed["dataset"] as? [String: Any])
        for key in ["popularFolder", "otherFolder"] { indexedDataset[key] = nil }
        indexed["dataset"] = indexedDataset
        #expect(NSDictionary(dictionary: actual).isEqual(to: indexed),
                "results differ with the index:\n\(String(describing: actual).prefix(3000))\n---\n\(String(describing: indexed).prefix(3000))")

        // The report shows the popular covers the candidates matched, from the thumbnails in the store.
        let candidates = try #require(actual["candidates"] as? [[String: Any]])
        let matched = Set(candidates.flatMap { ($0["matches"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String } })
        let thumbnails = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("covers").path)
        #expect(thumbnails.filter { $0.hasPrefix("popular-") }.count >= matched.count, "\(thumbnails) for \(matched)")

        // No output holds the password: the terminal, and every file of the bundle and its zip.
        #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret), "\(run)")
        #expect(run.stderr.contains("127.0.0.1"), "the verbose run names the store (redacted): \(run)")
        var files = [out.deletingLastPathComponent().appendingPathComponent("from-store.zip")]
        let walker = try #require(FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil))
        for case let file as URL in walker { files.append(file) }
        #expect(files.count > 5)
        for file in files where !file.hasDirectoryPath {
            let bytes = try Data(contentsOf: file)
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file.path) holds the password")
        }
        let unzipped = folders.root.appendingPathComponent("unzipped")
        _ = try TestServer.run("/usr/bin/unzip", ["-q", files[0].path, "-d", unzipped.path])
        let inside = try #require(FileManager.default.enumerator(at: unzipped, includingPropertiesForKeys: nil))
        var unzippedCount = 0
        for case let file as URL in inside where !file.hasDirectoryPath {
            unzippedCount += 1
            #expect(try Data(contentsOf: file).range(of: Data(secret.utf8)) == nil, "\(file.path) in the zip holds the password")
        }
        #expect(unzippedCount > 5)

        // Errors: a model the collection lacks (truncated covers allowed: another record key) is one
        // sentence with status 11; a collection without a store is a usage error; an unknown name is 4.
        let lacking = try CoverlensProcess.run(Self.score(popular: "collection:pop", other: "collection:oth", candidates: folders.candidates,
                                                          out: folders.root.appendingPathComponent("lacking"), store: ["--store", url],
                                                          extra: ["--allow-truncated"]), environment: server.environment)
        #expect(lacking.status == 11, "\(lacking)")
        #expect(lacking.stderr.contains("collection pop has no embeddings from this model"), "\(lacking)")
        #expect(lacking.stderr.split(separator: "\n").filter { !$0.isEmpty }.count == 1, "one sentence: \(lacking)")
        let noStore = try CoverlensProcess.run(Self.score(popular: "collection:pop", other: "collection:oth", candidates: folders.candidates,
                                                          out: folders.root.appendingPathComponent("nostore"), store: ["--no-cache"]))
        #expect(noStore.status == 64 && noStore.stderr.contains("--popular collection:pop is read from the shared store"), "\(noStore)")
        let unknown = try CoverlensProcess.run(Self.score(popular: "collection:nope", other: "collection:oth", candidates: folders.candidates,
                                                          out: folders.root.appendingPathComponent("unknown"), store: ["--store", url]),
                                               environment: server.environment)
        #expect(unknown.status == 4 && unknown.stderr.contains("there is no collection named nope"), "\(unknown)")
    }

    @Test func aCollectionAboveTheSampleLimitIsAnalysedOnASeededSampleButMatchedInFull() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("sample")
        let folders = try Folders(popular: 14, other: 8, candidates: 3)
        defer { folders.remove() }
        let full = try Self.prepare(folders, url: url, server: server)

        func sampled(_ name: String, seed: String) throws -> (CoverlensProcess.Outcome, [String: Any]) {
            let out = folders.root.appendingPathComponent(name)
            let run = try CoverlensProcess.run(Self.score(popular: "collection:pop", other: "collection:oth", candidates: folders.candidates,
                                                          out: out, store: ["--store", url],
                                                          extra: ["--sample-limit", "6", "--seed", seed, "--format", "html,json,csv"]),
                                               environment: server.environment)
            try #require(run.status == 0, "\(run)")
            return (run, try Self.results(out))
        }
        let (run, result) = try sampled("sampled", seed: "3")
        let dataset = try #require(result["dataset"] as? [String: Any])
        #expect(dataset["popularCount"] as? Int == 6 && dataset["otherCount"] as? Int == 6, "\(dataset)")
        let popularSample = try #require(dataset["popularSample"] as? [String: Any])
        #expect(popularSample["size"] as? Int == 6 && popularSample["total"] as? Int == 14 && popularSample["seed"] as? Int == 3)
        let otherSample = try #require(dataset["otherSample"] as? [String: Any])
        #expect(otherSample["size"] as? Int == 6 && otherSample["total"] as? Int == 8)
        #expect(run.stdout.contains("the popular collection holds 14 covers") && run.stdout.contains("sample of 6 (seed 3"), "\(run)")

        // The report says so, at the top and in the settings.
        let page = try String(contentsOf: folders.root.appendingPathComponent("sampled/index.html"), encoding: .utf8)
        #expect(page.contains("seeded uniform sample of 6 of them (seed 3)"), "the summary names the sample")
        #expect(page.contains("a seeded uniform sample of 6 of 14 covers (seed 3)"), "the settings name the sample")

        // Each candidate's top matches and copy check are the whole collection's, as in the full run.
        func matches(_ result: [String: Any]) -> [String] {
            (result["candidates"] as? [[String: Any]] ?? []).map { c in
                let list = (c["matches"] as? [[String: Any]] ?? []).map { "\($0["file"] ?? "")@\(String(format: "%.5f", $0["cosine"] as? Double ?? -1))" }
                let copy = (c["copyCheck"] as? [String: Any])?["file"] as? String ?? ""
                return list.joined(separator: ",") + " copy " + copy
            }
        }
        #expect(matches(result) == matches(full))

        // The same seed draws the same sample; another seed another one.
        let (_, again) = try sampled("again", seed: "3")
        #expect(NSDictionary(dictionary: again["common"] as? [String: Any] ?? [:]).isEqual(to: result["common"] as? [String: Any] ?? [:]))
        let (_, other) = try sampled("another", seed: "4")
        #expect(!NSDictionary(dictionary: other["common"] as? [String: Any] ?? [:]).isEqual(to: result["common"] as? [String: Any] ?? [:]))
    }

    @Test func trainReadsCollectionsInHeadModeAndFineTuningSaysItNeedsTheFiles() throws {
        let server = try TestServer.shared()
        let url = try server.newDatabase("train")
        let folders = try Folders(popular: 14, other: 10, candidates: 1)
        defer { folders.remove() }
        for (folder, name) in [(folders.popular, "pop"), (folders.other, "oth")] {
            let embedded = try CoverlensProcess.run(Self.embed(folder, collection: name, url: url), environment: server.environment)
            try #require(embedded.status == 0, "\(embedded)")
        }
        func train(_ popular: String, _ other: String, out: String, store: [String], extra: [String] = []) throws -> CoverlensProcess.Outcome {
            try CoverlensProcess.run(["train", "--popular", popular, "--other", other, "--out", folders.root.appendingPathComponent(out).path,
                                      "--model", try CoverlensProcess.model(), "--epochs", "4", "--threads", "1"] + store + extra,
                                     environment: server.environment)
        }
        let fromFolders = try train(folders.popular.path, folders.other.path, out: "folders",
                                    store: ["--cache", folders.root.appendingPathComponent("cache.sqlite").path])
        try #require(fromFolders.status == 0, "\(fromFolders)")
        // The files are not needed: moved away before training from the collections.
        try FileManager.default.moveItem(at: folders.popular, to: folders.root.appendingPathComponent("popular-elsewhere"))
        try FileManager.default.moveItem(at: folders.other, to: folders.root.appendingPathComponent("other-elsewhere"))
        let fromStore = try train("collection:pop", "collection:oth", out: "store", store: ["--store", url])
        #expect(fromStore.status == 0, "\(fromStore)")

        // The same embeddings in the same order with the same seed: the same split and epochs (their times aside).
        func epochs(_ out: String) throws -> [NSDictionary] {
            let data = try Data(contentsOf: folders.root.appendingPathComponent("\(out)/training-log.json"))
            let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            // Everything but how long each epoch took.
            return try #require(log["epochs"] as? [[String: Any]]).map { epoch in
                NSDictionary(dictionary: epoch.filter { $0.key != "seconds" })
            }
        }
        let expected = try epochs("folders")
        #expect(expected.count == 4)
        let actual = try epochs("store")
        #expect(actual == expected, "from the store:\n\(actual)\nfrom the folders:\n\(expected)")
        #expect(FileManager.default.fileExists(atPath: folders.root.appendingPathComponent("store/model.safetensors").path))

        // Fine-tuning decodes the covers: one sentence, a usage error, nothing trained.
        let fineTune = try train("collection:pop", "collection:oth", out: "partial", store: ["--store", url], extra: ["--mode", "partial"])
        #expect(fineTune.status == 64, "\(fineTune)")
        #expect(fineTune.stderr.hasPrefix("Error: --mode partial needs the cover files to decode, and collection:pop holds embeddings only"),
                "\(fineTune)")
        #expect(!FileManager.default.fileExists(atPath: folders.root.appendingPathComponent("partial").path))
        let mixed = try train("collection:pop", folders.root.appendingPathComponent("other-elsewhere").path, out: "mixed", store: ["--store", url])
        #expect(mixed.status == 64, "\(mixed)")
    }
}
