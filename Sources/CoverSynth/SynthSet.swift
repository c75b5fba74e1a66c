import Foundation
import Imaging
import Support

/// A synthetic data set in CoverLens's class-folder layout:
///
///     OUT/popular/cover-001.jpg …   `perClass` popular covers
///     OUT/other/cover-001.jpg …     `perClass` other covers
///     OUT/candidates/*.jpg          `candidates` covers of both classes and every style,
///                                   some with Korean names and spaces ("신작 표지 1.jpg")
///     OUT/manifest.csv              file, class, style, seed for every cover
///
/// Styles are spread evenly over each folder (then shuffled), and every cover's seed is derived
/// from the set's seed, so one number regenerates the whole set byte for byte.
public struct SynthSet: Sendable {
    /// Covers in each class folder.
    public let perClass: Int
    public let candidates: Int
    public let seed: UInt64

    public static let folders = ["popular", "other", "candidates"]

    public init(perClass: Int, candidates: Int, seed: UInt64) throws {
        guard (1...100_000).contains(perClass) else {
            throw CoverSynthError.invalidRequest("--per-class \(perClass) must be between 1 and 100000 covers per class")
        }
        guard (0...100_000).contains(candidates) else {
            throw CoverSynthError.invalidRequest("--candidates \(candidates) must be between 0 and 100000")
        }
        self.perClass = perClass
        self.candidates = candidates
        self.seed = seed
    }

    /// Every cover of the set, in writing order, without drawing anything.
    public func plan() -> [SynthManifestRow] {
        var rows: [SynthManifestRow] = []
        let digits = max(3, String(perClass).count)
        for (salt, coverClass) in CoverClass.allCases.enumerated() {
            var random = CoverRandom(seed: CoverRandom.derive(seed, 10 + UInt64(salt), 0))
            var styles = (0..<perClass).map { CoverStyle.allCases[$0 % CoverStyle.allCases.count] }
            random.shuffle(&styles)
            for i in 0..<perClass {
                let number = String(repeating: "0", count: max(0, digits - String(i + 1).count)) + String(i + 1)
                rows.append(SynthManifestRow(file: "\(coverClass.rawValue)/cover-\(number).jpg", coverClass: coverClass,
                                             style: styles[i], seed: CoverRandom.derive(seed, 20 + UInt64(salt), i)))
            }
        }
        for i in 0..<candidates {
            let styles = CoverStyle.allCases
            rows.append(SynthManifestRow(file: "candidates/\(Self.candidateName(i))",
                                         coverClass: i % 2 == 0 ? .popular : .other,
                                         style: styles[(i + i / styles.count) % styles.count],
                                         seed: CoverRandom.derive(seed, 30, i)))
        }
        return rows
    }

    /// Names as people save drafts: Korean, spaces, English, underscores.
    static func candidateName(_ i: Int) -> String {
        let n = i / 4 + 1
        switch i % 4 {
        case 0: return "신작 표지 \(n).jpg"
        case 1: return "candidate-\(n).jpg"
        case 2: return "Draft cover \(n) final.jpg"
        default: return "시안_\(n).jpg"
        }
    }

    /// Draws and writes every cover and the manifest under `folder` with `workers` threads, calling
    /// `progress(done, total)` after each file (one call at a time, from any of them). Refuses a
    /// folder whose class folders already hold files unless `replace`, which deletes those three
    /// folders and the manifest first (nothing else in `folder`). The files do not depend on `workers`.
    @discardableResult
    public func write(to folder: URL, generator: CoverGenerator, replace: Bool = false, workers: Int = Parallelism.available,
                      progress: (Int, Int) -> Void = { _, _ in }) throws -> [SynthManifestRow] {
        let files = FileManager.default
        for name in Self.folders {
            let sub = folder.appendingPathComponent(name)
            let contents = (try? files.contentsOfDirectory(atPath: sub.path)) ?? []
            if !contents.isEmpty {
                guard replace else { throw CoverSynthError.outputNotEmpty(path: sub.path) }
                try remove(sub)
            }
        }
        try? files.removeItem(at: folder.appendingPathComponent("manifest.csv"))
        do {
            for name in Self.folders { try files.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true) }
        } catch {
            throw CoverSynthError.writeFailed(path: folder.path, reason: error.localizedDescription)
        }
        let rows = plan()
        // Covers are independent (each a function of its own seed), so `workers` draw and encode
        // them at once; only the Cairo/Pango drawing itself takes turns (`FontStack`), about a
        // quarter of a cover's time, while film grain, tone curves and JPEG encoding overlap.
        let lock = NSLock()
        var done = 0
        var firstError: Error?
        parallelFor(rows.count, workers: workers) { i in
            guard lock.withLock({ firstError == nil }) else { return }
            do {
                let row = rows[i]
                let cover = try generator.render(seed: row.seed, style: row.style, coverClass: row.coverClass)
                let url = folder.appendingPathComponent(row.file)
                do {
                    try JPEGEncoder.write(cover.image, quality: cover.design.jpegQuality, to: url)
                } catch {
                    throw CoverSynthError.writeFailed(path: url.path, reason: "\(error)")
                }
                lock.withLock {
                    done += 1
                    progress(done, rows.count)
                }
            } catch {
                lock.withLock { if firstError == nil { firstError = error } }
            }
        }
        if let firstError { throw firstError }
        let manifest = folder.appendingPathComponent("manifest.csv")
        do {
            try AtomicFile.write(Data(SynthManifestRow.csv(rows).utf8), to: manifest)
        } catch {
            throw CoverSynthError.writeFailed(path: manifest.path, reason: error.localizedDescription)
        }
        return rows
    }

    private func remove(_ url: URL) throws {
        do { try FileManager.default.removeItem(at: url) } catch {
            throw CoverSynthError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }
}
