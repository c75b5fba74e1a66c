import Foundation
import Testing

/// `--jpeg-draft on` (issue 17): `embed` decodes a large JPEG reduced, as PIL's `Image.draft`
/// does, so its embedding changes while a cover too small to reduce keeps its own; `train` records
/// the setting in the model it writes, and a model trained without it does not mention it.
@Suite("--jpeg-draft", .serialized)
final class JPEGDraftCLITests {
    let work: URL
    let covers: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-jpeg-draft-\(UUID().uuidString)")
        covers = work.appendingPathComponent("covers")
        try BadCorpus.copyExampleCovers("popular", count: 1, to: covers)   // 400×600: 400 / 224 = 1, never reduced
        let large = CLI.repository.appendingPathComponent("Tests/Fixtures/jpeg-draft/cover-480x720.jpg")
        try FileManager.default.copyItem(at: large, to: covers.appendingPathComponent("large-480x720.jpg"))
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    /// The CSV's rows by file name.
    private func embed(_ extra: [String]) throws -> [String: String] {
        let out = work.appendingPathComponent("e-\(UUID().uuidString).csv")
        let outcome = try CLI.run(["embed", covers.path, "--out", out.path, "--model", try CLI.model(), "--no-cache"] + extra, in: work)
        try #require(outcome.status == 0, "\(outcome)")
        let rows = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").dropFirst()
        return Dictionary(uniqueKeysWithValues: rows.map { row in
            let comma = row.firstIndex(of: ",")!
            return (String(row[..<comma]), String(row[comma...]))
        })
    }

    @Test("embed: the large cover's embedding changes, the small one's does not")
    func embedDraftsOnlyWhatItCanReduce() throws {
        let whole = try embed([]), drafted = try embed(["--jpeg-draft", "on"]), off = try embed(["--jpeg-draft", "off"])
        try #require(whole.count == 2 && drafted.count == 2, "\(whole.keys), \(drafted.keys)")
        let large = try #require(whole.keys.first { $0.contains("large-480x720") })
        let small = try #require(whole.keys.first { !$0.contains("large-480x720") })
        #expect(drafted[large] != whole[large], "decoded at 240×360, the embedding must differ")
        #expect(drafted[small] == whole[small], "400×600 cannot be reduced for a 224 input")
        #expect(off == whole, "off is the pretrained model's own setting")
    }

    @Test("train --jpeg-draft on records it in the model; without it the model does not mention it")
    func trainRecordsTheSetting() throws {
        let data = work.appendingPathComponent("data")
        try BadCorpus.copyExampleCovers("popular", count: 4, to: data.appendingPathComponent("popular"))
        try BadCorpus.copyExampleCovers("other", count: 4, to: data.appendingPathComponent("other"))
        func preprocessing(_ extra: [String], into name: String) throws -> String {
            let out = work.appendingPathComponent(name)
            let trained = try CLI.run(["train", data.path, "--epochs", "1", "--out", out.path, "--model", try CLI.model(), "--no-cache"] + extra,
                                      in: work, timeout: 600)
            try #require(trained.status == 0, "\(trained)")
            let header = try #require(SafetensorsHeader(try Data(contentsOf: out.appendingPathComponent("model.safetensors"))))
            let metadata = try #require(header.json["__metadata__"] as? [String: String])
            return try #require(metadata["preprocessing"])
        }
        let on = try preprocessing(["--jpeg-draft", "on"], into: "on")
        #expect(on.contains(#""jpegDraft":true"#), "\(on)")
        let plain = try preprocessing([], into: "plain")
        #expect(!plain.contains("jpegDraft"), "\(plain)")
    }
}
