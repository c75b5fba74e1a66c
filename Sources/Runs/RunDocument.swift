import CoverAnalysis
import Foundation

/// What `--json` prints on standard output when a command ends: one JSON object saying what was
/// done, where it was written, what was skipped and why, the warnings, and the exit status (or the
/// error), so a script reads one document instead of parsing lines meant for people.
///
/// ```json
/// {"command": "score", "status": 3, "results": "Output/score/results.json",
///  "skipped": [{"folder": "candidates", "file": "bad.jpg", "reason": "…"}], "warnings": ["…"], …}
/// ```
public struct RunDocument {
    public var command: String
    /// The exit status the command ends with.
    public var status: Int32 = 0
    /// The error sentence, when the command failed.
    public var error: String?
    /// What the command did and wrote, by name (strings, numbers, booleans, arrays and objects of them).
    public var fields: [String: Any] = [:]
    public var skipped: [SkippedFile] = []
    public var warnings: [String] = []

    public init(command: String, fields: [String: Any] = [:], skipped: [SkippedFile] = []) {
        self.command = command
        self.fields = fields
        self.skipped = skipped
    }

    /// The document as pretty, key-sorted JSON text (one object).
    public var text: String {
        var object = fields
        object["command"] = command
        object["status"] = Int(status)
        if let error { object["error"] = error }
        object["skipped"] = skipped.map { ["folder": $0.folder, "file": $0.file, "reason": $0.reason] }
        object["warnings"] = warnings
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON file's top-level value, for embedding a file the run wrote (evaluate's metrics).
    public static func contents(of url: URL) -> Any? {
        (try? Data(contentsOf: url)).flatMap { try? JSONSerialization.jsonObject(with: $0) }
    }
}

extension ScoreRun.Outcome {
    /// `score --json`: where the results went and each candidate's scores.
    public var document: RunDocument {
        var fields: [String: Any] = [
            "results": resultsFile.path,
            "popular": result.dataset.popularCount,
            "other": result.dataset.otherCount,
            "popularity": result.popularity == .trainedHead ? "p(popular) from the trained head" : "similarity (no trained head)",
            "candidates": result.candidates.map { c -> [String: Any] in
                var entry: [String: Any] = ["file": c.file, "popularity": c.popularity,
                                            "percentileAmongPopular": c.percentileAmongPopular, "nearDuplicate": c.nearDuplicate]
                if let best = c.matches.first { entry["bestMatch"] = ["file": best.file, "cosine": best.cosine] }
                if c.nearDuplicate, let copy = c.copyCheck { entry["duplicateOf"] = copy.file }
                return entry
            },
        ]
        if let bundle {
            fields["report"] = bundle.folder.path
            fields["bundle"] = bundle.zip.path
        }
        return RunDocument(command: "score", fields: fields, skipped: skipped)
    }
}

extension EvaluateRun {
    /// `evaluate --json`: the metrics file and its contents.
    public func document(_ evaluation: Evaluation) -> RunDocument {
        var fields: [String: Any] = ["metrics": output.path]
        fields["evaluation"] = RunDocument.contents(of: output)
        return RunDocument(command: "evaluate", fields: fields, skipped: evaluation.skipped)
    }
}
