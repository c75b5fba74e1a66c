import Foundation
import Imaging

/// The report-size pictures of the covers a scoring run decoded, kept from that one decode so the
/// report does not decode the cover files again.
///
/// Memory bound: one picture per decoded cover, at most `height` (360) pixels high and twice that
/// wide, 259 KB for a 2:3 cover and never over 778 KB. Candidates are always kept (the report shows
/// every one of them); popular and other covers are kept while their pictures take less than
/// `budget` bytes (256 MB by default, about 1,000 covers at 2:3). Past the budget a popular or other
/// cover the report shows (a top match, a style-cluster exemplar) is decoded a second time.
public final class CoverPictures: @unchecked Sendable {
    /// Height of every picture in pixels: a similarity grid's 225-unit tiles at 2× are 450 pixels,
    /// and a 240-pixel cover stretched to them looks blurred; 360 is sharp enough there and keeps
    /// the demo bundle under 5 MB (480 took it to 4.92 MB). The files are written at 240.
    public static let height = 360

    public let budget: Int
    private let lock = NSLock()
    private var pictures: [String: RGBImage] = [:]
    private var boundedBytes = 0

    public init(budget: Int = 256 << 20) {
        self.budget = budget
    }

    /// Keeps `image` (already `shrink`-ed) for the cover `file` of folder `role`, unless it is a
    /// popular or other cover and the budget is spent.
    public func keep(_ image: RGBImage, role: String, file: String) {
        let bytes = image.pixels.count
        lock.withLock {
            if role != "candidates" {
                guard boundedBytes + bytes <= budget else { return }
                boundedBytes += bytes
            }
            pictures[Self.key(role, file)] = image
        }
    }

    /// The kept picture of `file` in folder `role` ("popular", "other", "candidates").
    public func picture(role: String, file: String) -> RGBImage? {
        lock.withLock { pictures[Self.key(role, file)] }
    }

    public var count: Int { lock.withLock { pictures.count } }

    private static func key(_ role: String, _ file: String) -> String { role + "/" + file }

    /// The size `image` takes scaled to `height` pixels high (never up), keeping the aspect ratio;
    /// wider covers (spreads, banners) are capped at twice that height.
    public static func fitted(_ image: RGBImage, height: Int) -> (width: Int, height: Int) {
        guard image.width > 0, image.height > 0 else { return (image.width, image.height) }
        let scale = min(Double(height) / Double(image.height), Double(2 * height) / Double(image.width), 1)
        guard scale < 1 else { return (image.width, image.height) }
        return (max(1, Int((Double(image.width) * scale).rounded())), max(1, Int((Double(image.height) * scale).rounded())))
    }

    /// Scales to `height` pixels high (never up), keeping the aspect ratio.
    public static func shrink(_ image: RGBImage, height: Int = CoverPictures.height) -> RGBImage {
        let size = fitted(image, height: height)
        guard size.width != image.width || size.height != image.height else { return image }
        return resizeBilinear(image, width: size.width, height: size.height)
    }
}
