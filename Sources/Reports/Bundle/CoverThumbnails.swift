import CoverAnalysis
import Foundation
import Imaging
import Rendering
import Support

/// The small copies of covers a bundle carries in `covers/`, so the report is complete and shareable
/// without the original folders.
///
/// Thumbnails are named by a hash of their folder role and path, never by the original file name:
/// a name from the user's disk may hold anything (`<img src=x onerror=…>.png`, `../`, spaces), and
/// it only ever appears in the report as escaped text.
struct CoverThumbnails {
    /// Height of every thumbnail file in pixels: the page shows a cover at most 15rem (240 CSS px)
    /// tall, the summary at 6rem, so 240 pixels is the largest size shown, and small on disk.
    static let height = 240
    /// Height kept in memory for the figures (`CoverPictures.height`, 360 pixels).
    static let figureHeight = CoverPictures.height
    /// JPEG quality: covers are photographs and painted artwork, where 85 shows no artefacts at
    /// this size and takes a fraction of a PNG's bytes.
    static let quality = 85

    private(set) var images: [CoverKey: RGBImage] = [:]

    /// The bundle-relative path of a cover's thumbnail ("covers/popular-<hash>.jpg").
    static func relativePath(_ key: CoverKey) -> String {
        let digest = SHA256.hex(Array("\(key.role.rawValue)/\(key.file)".utf8))
        return "covers/\(key.role.rawValue)-\(digest.prefix(20)).jpg"
    }

    /// Loads every cover in `keys` it can: from `pictures` when the scoring run kept it, else from
    /// `source` through `decoder` with `limits`. A cover that cannot be read is left out (its tiles show a plain
    /// panel), since a missing picture must not stop the report.
    init(keys: [CoverKey], source: CoverSource, pictures: CoverPictures? = nil, decoder: CoverDecoder = .standard,
         limits: DecodeLimits = .default, workers: Int = Parallelism.available) {
        let unique = Array(Set(keys))
        // Decoding full-size covers is the slow part, so covers decode in parallel into a locked table.
        let lock = NSLock()
        nonisolated(unsafe) var loaded: [CoverKey: RGBImage] = [:]
        parallelFor(unique.count, workers: workers) { i in
            let key = unique[i]
            guard let image = pictures?.picture(role: key.role.rawValue, file: key.file)
                    ?? Self.load(key, from: source, decoder: decoder, limits: limits) else { return }
            lock.withLock { loaded[unique[i]] = image }
        }
        images = loaded
    }

    subscript(key: CoverKey) -> RGBImage? { images[key] }

    /// Each thumbnail's bundle path and pixel size, for `<img>` tags.
    var pageEntries: [CoverKey: (path: String, width: Int, height: Int)] {
        images.reduce(into: [:]) { entries, item in
            let size = CoverPictures.fitted(item.value, height: Self.height)
            entries[item.key] = (Self.relativePath(item.key), size.width, size.height)
        }
    }

    /// Writes every loaded thumbnail into `bundle/covers/`.
    func write(into bundle: URL) throws {
        let folder = bundle.appendingPathComponent("covers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (key, image) in images {
            try JPEGEncoder.write(CoverPictures.shrink(image, height: Self.height), quality: Self.quality,
                                  to: bundle.appendingPathComponent(Self.relativePath(key)))
        }
    }

    private static func load(_ key: CoverKey, from source: CoverSource, decoder: CoverDecoder, limits: DecodeLimits) -> RGBImage? {
        switch source {
        case .none:
            return nil
        case .bundle(let bundle):
            // Bundles written before issue 13 kept PNG thumbnails under the same names.
            let url = bundle.appendingPathComponent(relativePath(key))
            let legacy = url.deletingPathExtension().appendingPathExtension("png")
            return (try? ImageDecoder.decode(contentsOf: url).image) ?? (try? ImageDecoder.decode(contentsOf: legacy).image)
        case .folders(let popular, let candidates, let other):
            let folder: URL? = switch key.role {
            case .popular: popular
            case .candidates: candidates
            case .other: other
            }
            guard let folder, let url = contained(key.file, in: folder),
                  let decoded = try? decoder.decode(contentsOf: url, limits: limits) else { return nil }
            return CoverPictures.shrink(decoded.image, height: figureHeight)
        }
    }

    /// `file` inside `folder`, or nil when the recorded path would leave the folder (an edited
    /// results.json must not make the report read other files).
    static func contained(_ file: String, in folder: URL) -> URL? {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        guard !file.isEmpty, !file.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            return nil
        }
        return folder.appendingPathComponent(file)
    }
}
