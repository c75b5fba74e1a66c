import Foundation
import Testing

/// Issue 8, point 1: every command over a folder of broken, odd and hostile files reports each
/// bad file once with a reason, processes every good one, exits 3 ("completed with skipped
/// files") and never crashes.
@Suite("Bad input corpus", .serialized)
final class BadInputTests {
    let work: URL
    let corpus: BadCorpus

    init() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-bad-\(UUID().uuidString)")
        do {
            corpus = try BadCorpus(in: work.appendingPathComponent("corpus"), outside: work.appendingPathComponent("elsewhere"))
        } catch {
            // deinit does not run for an instance whose init failed: remove the half-made corpus here.
            try? FileManager.default.removeItem(at: work)
            throw error
        }
    }

    /// Swift Testing makes one instance per test: its work folder goes with it.
    deinit { try? FileManager.default.removeItem(at: work) }

    /// Each bad entry named by exactly one line containing its reason word; no good file named as skipped.
    func expectEachBadReportedOnce(_ lines: [String], outcome: CLI.Outcome, prefix: String = "",
                                   skipping: Set<String> = []) {
        for (path, reason) in corpus.bad where !skipping.contains(path) {
            let naming = BadCorpus.lines(lines, naming: prefix + path)
            #expect(naming.count == 1, "\(path) should be reported exactly once, got \(naming.count): \(naming)\n\(outcome)")
            if let line = naming.first, !reason.isEmpty {
                #expect(line.lowercased().contains(reason.lowercased()), "\(path): reason should mention '\(reason)': \(line)")
            }
        }
        for path in corpus.good {
            let naming = BadCorpus.lines(lines, naming: prefix + path).filter { $0.hasPrefix("skipped") }
            #expect(naming.isEmpty, "good file \(path) was skipped: \(naming)")
        }
    }

    func expectCompletedWithSkips(_ outcome: CLI.Outcome) {
        #expect(!outcome.signalled, "crashed: \(outcome)")
        #expect(outcome.status == 3, "exit status should be 3 (completed, files skipped): \(outcome)")
    }

    @Test("inspect: one line per file, ok for the good ones, a reason for the bad ones")
    func inspect() throws {
        let outcome = try CLI.run(["inspect"] + corpus.inspectable, in: work)
        expectCompletedWithSkips(outcome)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        expectEachBadReportedOnce(lines, outcome: outcome, skipping: corpus.walkedOnly)
        for path in corpus.good {
            let naming = BadCorpus.lines(lines, naming: path)
            #expect(naming.count == 1 && naming[0].contains(": ok"), "\(path) should decode: \(naming)")
        }
        let total = corpus.inspectable.count
        #expect(outcome.stdout.contains("\(total) files: \(corpus.good.count) ok, \(total - corpus.good.count) failed"),
                "summary line: \(outcome.stdout.suffix(200))")
    }

    /// Root reads a mode-000 file, so as root the corpus's unreadable.jpg is a good file. This runs
    /// the unreadable case as `nobody` (setpriv), in a folder that user can enter, with its own copy
    /// of the model, so the unreadable-file path runs in CI containers too.
    @Test("an unreadable file, as a user without root's privileges: skipped once with its reason, the rest embedded",
          .enabled(if: CLI.isRoot, "without root, the corpus's unreadable.jpg is already a bad file for every command"))
    func unreadableFileWithoutRoot() throws {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("coverlens-nobody-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: folder) }
        let covers = folder.appendingPathComponent("covers")
        try BadCorpus.copyExampleCovers("popular", count: 3, to: covers)
        let unreadable = covers.appendingPathComponent("unreadable.jpg")
        try fm.copyItem(at: try BadCorpus.exampleCovers("popular")[6], to: unreadable)
        try fm.setAttributes([.posixPermissions: 0o000], ofItemAtPath: unreadable.path)
        let model = folder.appendingPathComponent("model.safetensors")
        try fm.copyItem(at: URL(fileURLWithPath: try CLI.model()), to: model)
        try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: model.path)
        try fm.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)   // nobody writes rows.csv here

        let inspect = try CLI.run(["inspect", unreadable.path], in: folder, unprivileged: true)
        #expect(inspect.status == 3, "inspect of an unreadable file exits 3: \(inspect)")
        #expect(BadCorpus.lines(inspect.stdout.split(separator: "\n").map(String.init), naming: "unreadable.jpg")
                    .contains { $0.contains("cannot be read") }, "inspect names the file and why: \(inspect)")

        let out = folder.appendingPathComponent("rows.csv")
        let embed = try CLI.run(["embed", covers.path, "--out", out.path, "--model", model.path, "--no-cache"],
                                in: folder, unprivileged: true)
        expectCompletedWithSkips(embed)
        let naming = BadCorpus.lines(embed.messages, naming: "unreadable.jpg")
        #expect(naming.count == 1 && naming[0].contains("cannot be read"), "unreadable.jpg reported once with its reason: \(embed)")
        let rows = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count == 3, "the three readable covers are embedded: \(rows.count) rows\n\(embed)")
    }

    @Test("embed: a row per good file, each bad file listed once")
    func embed() throws {
        let out = work.appendingPathComponent("embed/rows.csv")
        let outcome = try CLI.run(["embed", corpus.folder.path, "--out", out.path, "--model", try CLI.model(), "--no-cache"], in: work)
        expectCompletedWithSkips(outcome)
        expectEachBadReportedOnce(outcome.messages, outcome: outcome)
        let csv = try String(contentsOf: out, encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst()
        #expect(rows.count == corpus.good.count, "\(rows.count) embedding rows for \(corpus.good.count) good files")
        for path in corpus.good where !path.contains("\"") && !path.contains(",") {
            #expect(rows.contains { $0.contains(path) }, "no embedding row for \(path)")
        }
    }

    @Test("score then report: good covers scored, bad ones listed once, hostile names escaped, nothing outside the bundle")
    func scoreAndReport() throws {
        let candidates = work.appendingPathComponent("candidates")
        try FileManager.default.createDirectory(at: candidates, withIntermediateDirectories: true)
        let drafts = try BadCorpus.exampleCovers("candidates").prefix(2)
        for draft in drafts { try FileManager.default.copyItem(at: draft, to: candidates.appendingPathComponent(draft.lastPathComponent)) }
        let hostile = "<img src=x onerror=alert(1)>.jpg"
        for name in [hostile, "chapter.jpg", "cut-jpeg-100.jpg"] {
            try FileManager.default.copyItem(at: corpus.folder.appendingPathComponent(name), to: candidates.appendingPathComponent(name))
        }
        let out = work.appendingPathComponent("report")
        let outcome = try CLI.run(["score", "--popular", corpus.folder.path, "--candidates", candidates.path,
                                   "--out", out.path, "--format", "html,json,csv", "--model", try CLI.model(),
                                   "--cache", work.appendingPathComponent("store.sqlite").path], in: work)
        expectCompletedWithSkips(outcome)
        expectEachBadReportedOnce(outcome.messages, outcome: outcome, prefix: "popular/")
        for name in ["chapter.jpg", "cut-jpeg-100.jpg"] {
            #expect(BadCorpus.lines(outcome.messages, naming: "candidates/" + name).count == 1, "candidate \(name) skipped once\n\(outcome)")
        }
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as? [String: Any]
        let dataset = results?["dataset"] as? [String: Any]
        #expect(dataset?["popularCount"] as? Int == corpus.good.count, "every good popular cover used: \(dataset ?? [:])")
        #expect((results?["candidates"] as? [Any])?.count == drafts.count + 1, "every good candidate scored")
        try expectSafeHTML(out.appendingPathComponent("index.html"), bundle: out)

        // `report` re-renders from results.json alone: it decodes no cover, so nothing is skipped and
        // it exits 0, while its page still lists the files `score` skipped. The pages must stay
        // escaped and self-contained.
        let again = work.appendingPathComponent("rerendered")
        let report = try CLI.run(["report", out.appendingPathComponent("results.json").path, "--format", "html", "--out", again.path], in: work)
        #expect(!report.signalled && report.status == 0, "report should re-render: \(report)")
        try expectSafeHTML(again.appendingPathComponent("index.html"), bundle: again)
        let page = try String(contentsOf: again.appendingPathComponent("index.html"), encoding: .utf8)
        for name in ["chapter.jpg", "cut-jpeg-100.jpg"] {
            #expect(page.contains(name), "the re-rendered report should list the skipped candidate \(name)")
        }
    }

    /// No raw hostile markup, and every src/href stays inside the bundle folder.
    func expectSafeHTML(_ page: URL, bundle: URL) throws {
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("<img src=x"), "hostile file name reached the HTML unescaped")
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;.jpg"), "hostile file name should be shown, escaped")
        for link in Self.links(in: html) where !link.hasPrefix("#") && !link.hasPrefix("data:") {
            #expect(!link.contains("://") && !link.hasPrefix("/") && !link.contains(".."), "\(page.lastPathComponent) links outside its folder: \(link)")
            let target = bundle.appendingPathComponent(link.removingPercentEncoding ?? link)
            #expect(FileManager.default.fileExists(atPath: target.path), "\(page.lastPathComponent) links to a missing file: \(link)")
        }
    }

    static func links(in html: String) -> [String] {
        var found: [String] = []
        for attribute in ["src=\"", "href=\""] {
            var rest = Substring(html)
            while let start = rest.range(of: attribute) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                found.append(String(rest[..<end]))
                rest = rest[end...]
            }
        }
        return found
    }

    @Test("train over the corpus: bad files listed once, the rest trained on")
    func train() throws {
        let other = work.appendingPathComponent("other")
        try BadCorpus.copyExampleCovers("other", count: 8, to: other)
        try FileManager.default.copyItem(at: corpus.folder.appendingPathComponent("download.png"), to: other.appendingPathComponent("other-download.png"))
        let outcome = try CLI.run(["train", "--popular", corpus.folder.path, "--other", other.path, "--epochs", "2",
                                   "--out", work.appendingPathComponent("trained").path, "--model", try CLI.model(),
                                   "--cache", work.appendingPathComponent("train-store.sqlite").path], in: work)
        expectCompletedWithSkips(outcome)
        let lines = outcome.messages + outcome.stdout.split(separator: "\n").map(String.init)
        expectEachBadReportedOnce(lines, outcome: outcome)
        #expect(BadCorpus.lines(lines, naming: "other-download.png").count == 1, "other-download.png skipped once\n\(outcome)")
    }
}
