import Foundation
import Testing

/// Issue 19: the PyTorch recipe's own checkpoint (CustomCNN, `base_model.fc` the one-logit head)
/// imports, says what its logit predicts, and scores covers with p(popular) = sigmoid(w · e + b).
@Suite(.serialized) final class RecipeImportTests {
    let work: URL

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-recipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    private func importRecipe(_ options: [String], as name: String) throws -> (outcome: CLI.Outcome, metadata: [String: String]) {
        let out = work.appendingPathComponent(name)
        let outcome = try CLI.run(["import-weights", try RecipeCheckpoint.file().path, "--arch", "resnet18", "--out", out.path] + options,
                                  in: work)
        try #require(outcome.status == 0, "\(outcome)")
        let header = try #require(SafetensorsHeader(try Data(contentsOf: out)), "\(out.path) is not a safetensors file")
        return (outcome, try #require(header.json["__metadata__"] as? [String: String], "\(out.path) has no metadata"))
    }

    /// p(popular) per candidate file from `results.json`.
    private func score(model: String, candidates: URL, out: String) throws -> [String: Double] {
        // A copy as the popular set: score refuses one folder in two roles (issue 16), and the
        // head's p(popular) does not depend on the popular covers.
        let popular = URL(fileURLWithPath: candidates.path + "-as-popular")
        if !FileManager.default.fileExists(atPath: popular.path) { try FileManager.default.copyItem(at: candidates, to: popular) }
        let outcome = try CLI.run(["score", "--popular", popular.path, "--candidates", candidates.path, "--model", model,
                                   "--format", "json", "--out", out, "--no-cache"], in: work)
        try #require(outcome.status == 0, "\(outcome)")
        #expect(!outcome.stderr.contains("note:"), "an imported model says what its logit predicts: \(outcome)")
        let results = work.appendingPathComponent(out).appendingPathComponent("results.json")
        var scores: [String: Double] = [:]
        for entry in try JSONFile(results).array("candidates") {
            let candidate = try JSONFile(entry, in: results)
            scores[try candidate.string("file")] = try candidate.double("popularity")
        }
        return scores
    }

    @Test("the recipe's checkpoint imports: ImageNet normalisation, logit assumed popular and said so, flipped on request")
    func importsWithWhatItPredicts() throws {
        let plain = try importRecipe([], as: "recipe.safetensors")
        #expect(plain.metadata["head"] == "popularity" && plain.metadata["logitMeans"] == "popular", "\(plain.metadata)")
        let preprocessing = try JSONFile(work, parsing: Data((plain.metadata["preprocessing"] ?? "").utf8))
        #expect(try preprocessing.string("normalization") == "imagenet" && preprocessing.string("geometry") == "stretch")
        let said = plain.outcome.stdout.split(separator: "\n").filter { $0.contains("assuming the logit predicts popular") }
        #expect(said.count == 1 && said[0].contains("--logit-means other"), "one line that says how to flip: \(plain.outcome)")

        for (options, meaning) in [(["--logit-means", "other"], "other"), (["--popular-folder", "popular", "--other-folder", "unpopular"], "other"),
                                   (["--popular-folder", "popular", "--other-folder", "other"], "popular")] {
            let told = try importRecipe(options, as: "told.safetensors")
            #expect(told.metadata["logitMeans"] == meaning, "\(options): \(told.metadata)")
            #expect(!told.outcome.stdout.contains("assuming"), "\(options): \(told.outcome)")
        }
        let both = try CLI.run(["import-weights", try RecipeCheckpoint.file().path, "--arch", "resnet18", "--out", "x.safetensors",
                                "--logit-means", "other", "--popular-folder", "a", "--other-folder", "b"], in: work)
        #expect(both.status == 64, "\(both)")
        let efficientNet = try CLI.run(["import-weights", try CLI.pytorchWeights(), "--arch", "efficientnet-lite0", "--out", "e.safetensors"], in: work)
        #expect(efficientNet.stdout.contains(#""normalization":"efficientnet""#) && !efficientNet.stdout.contains("assuming"), "\(efficientNet)")
    }

    /// With the reference's preprocessing (centre crop, (x − 127)/128) the covers are the reference
    /// images, so p(popular) must be sigmoid(w · e + b) for the reference embeddings e (PyTorch's).
    @Test("scores the reference images with p(popular) = sigmoid(w · e + b), and 1 − that when the logit means other")
    func scoresLikeTheFormula() throws {
        let images = work.appendingPathComponent("covers")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let reference = CLI.repository.appendingPathComponent("Tests/Fixtures/reference")
        let names = ["cover_224", "noise_224", "rings_224", "portrait_300x450"]
        for name in names {
            try FileManager.default.copyItem(at: reference.appendingPathComponent("images/\(name).png"),
                                             to: images.appendingPathComponent("\(name).png"))
        }
        let outputs = try Data(contentsOf: reference.appendingPathComponent("resnet18_formula_outputs.safetensors"))
        let header = try #require(SafetensorsHeader(outputs))
        let asReference = ["--geometry", "crop", "--normalization", "efficientnet"]
        _ = try importRecipe(asReference, as: "popular.safetensors")
        _ = try importRecipe(asReference + ["--popular-folder", "bestseller", "--other-folder", "other"], as: "other.safetensors")
        let popular = try score(model: "popular.safetensors", candidates: images, out: "score-popular")
        let other = try score(model: "other.safetensors", candidates: images, out: "score-other")
        let raw = try CLI.run(["score", "--popular", images.path + "-as-popular", "--candidates", images.path, "--model", RecipeCheckpoint.file().path,
                               "--format", "json", "--out", "score-raw", "--no-cache"], in: work)
        #expect(raw.status == 0 && raw.messages.filter { $0.hasPrefix("note:") && $0.contains("import-weights") }.count == 1,
                "the .pth as it is: one note that nothing says what its logit predicts; \(raw)")
        for name in names {
            let embedding = try #require(header.floats("\(name).embedding", in: outputs), "reference embedding \(name)")
            let expected = RecipeCheckpoint.probability(embedding: embedding)
            let pytorchLogit = try #require(header.floats("\(name).logits", in: outputs)?.first)
            #expect(abs(expected - 1 / (1 + exp(-Double(pytorchLogit)))) < 1e-6, "\(name): the formula head is PyTorch's logit 0")
            let p = try #require(popular["\(name).png"], "\(name) not scored: \(popular)")
            let q = try #require(other["\(name).png"], "\(name) not scored: \(other)")
            #expect(abs(p - expected) < 1e-5, "\(name): p(popular) \(p), sigmoid(w · e + b) \(expected)")
            #expect(abs(q - (1 - expected)) < 1e-5, "\(name): logit means other: p(popular) \(q), expected \(1 - expected)")
        }
    }

    /// Default preprocessing (stretch, ImageNet): the expectation comes from `coverlens embed`'s
    /// embeddings and the formula head; `evaluate` warns when the labels run against the logit.
    @Test("default import scores covers as sigmoid(w · e + b) of their embeddings; evaluate warns of a flipped logit; train --keep-head starts from it")
    func scoresAndEvaluatesExampleCovers() throws {
        let covers = work.appendingPathComponent("covers")
        try FileManager.default.createDirectory(at: covers, withIntermediateDirectories: true)
        for role in ["popular", "other"] {   // both folders hold a cover-001.jpg …
            for cover in try BadCorpus.exampleCovers(role).prefix(12) {
                try FileManager.default.copyItem(at: cover, to: covers.appendingPathComponent("\(role)-\(cover.lastPathComponent)"))
            }
        }
        _ = try importRecipe([], as: "recipe.safetensors")
        let scores = try score(model: "recipe.safetensors", candidates: covers, out: "score")
        let embedded = try CLI.run(["embed", covers.path, "--model", "recipe.safetensors", "--out", "e.safetensors", "--no-cache"], in: work)
        try #require(embedded.status == 0, "\(embedded)")
        let data = try Data(contentsOf: work.appendingPathComponent("e.safetensors"))
        let header = try #require(SafetensorsHeader(data))
        let rows = try #require(header.floats("embeddings", in: data))
        let metadata = try #require(header.json["__metadata__"] as? [String: String])
        let files = try #require(try JSONSerialization.jsonObject(with: Data((metadata["files"] ?? "").utf8)) as? [String])
        try #require(files.count == 24 && rows.count == 24 * 512, "\(files.count) files, \(rows.count) values")
        var ranked: [(file: String, p: Double)] = []
        for (row, file) in files.enumerated() {
            let expected = RecipeCheckpoint.probability(embedding: Array(rows[(row * 512)..<((row + 1) * 512)]))
            let p = try #require(scores[file], "\(file) not scored")
            #expect(abs(p - expected) < 1e-5, "\(file): p(popular) \(p), sigmoid(w · e + b) \(expected)")
            ranked.append((file, p))
        }

        // Label the covers against the logit: the twelve it ranks highest are "other".
        ranked.sort { $0.p > $1.p }
        let labelled = work.appendingPathComponent("labelled")
        for (index, entry) in ranked.enumerated() {
            let folder = labelled.appendingPathComponent(index < 12 ? "other" : "popular")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: covers.appendingPathComponent(entry.file), to: folder.appendingPathComponent(entry.file))
        }
        let flippedRun = try CLI.run(["evaluate", "recipe.safetensors", labelled.path, "--no-cache", "--out", "eval.json"], in: work)
        #expect(flippedRun.status == 0, "\(flippedRun)")
        let warning = flippedRun.messages.filter { $0.hasPrefix("warning: ROC AUC") }
        #expect(warning.count == 1 && warning[0].contains("--logit-means other"), "\(flippedRun)")
        _ = try importRecipe(["--logit-means", "other"], as: "turned.safetensors")
        let turned = try CLI.run(["evaluate", "turned.safetensors", labelled.path, "--no-cache", "--out", "eval2.json"], in: work)
        #expect(turned.status == 0 && !turned.stderr.contains("warning: ROC AUC"), "\(turned)")
        #expect(try JSONFile(JSONFile(work.appendingPathComponent("eval2.json")).object("metrics"), in: work).double("rocAUC") == 1)

        // --keep-head trains on from the imported head (turned round): one step of 1e-9 keeps its ranking.
        let trained = try CLI.run(["train", labelled.path, "--model", "turned.safetensors", "--keep-head", "--epochs", "1",
                                   "--lr", "1e-9", "--out", "trained", "--no-cache"], in: work)
        try #require(trained.status == 0, "\(trained)")
        let again = try CLI.run(["evaluate", "trained/model.safetensors", labelled.path, "--no-cache", "--out", "eval3.json"], in: work)
        #expect(again.status == 0 && !again.stderr.contains("warning: ROC AUC"), "\(again)")
        #expect(try JSONFile(JSONFile(work.appendingPathComponent("eval3.json")).object("metrics"), in: work).double("rocAUC") == 1)
    }
}
