import Foundation
import Imaging
import Networks
import Support
@testable import CoverAnalysis

/// Generated covers and the real EfficientNet-Lite0 weights for end-to-end scoring tests.
enum ScoringFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The pretrained EfficientNet-Lite0 that scripts/setup.sh links into Models/.
    static func pretrainedModel() throws -> CoverModel {
        let url = repository.appendingPathComponent("Models/efficientnet-lite0-57934424.pth")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CoverModel.ModelError.missing(path: url.path + " (run scripts/setup.sh)")
        }
        return try CoverModel.load(contentsOf: url)
    }

    /// A 200×300 "cover": background, a title band, a disc and stripes, all varied by `seed`.
    static func cover(seed: UInt64) -> RGBImage {
        var rng = SeededGenerator(seed: seed)
        func colour() -> (r: UInt8, g: UInt8, b: UInt8) {
            (UInt8(rng.uniformInt(below: 256)), UInt8(rng.uniformInt(below: 256)), UInt8(rng.uniformInt(below: 256)))
        }
        let (w, h) = (200, 300)
        var image = RGBImage(width: w, height: h, fill: colour())
        let band = colour(), disc = colour(), stripe = colour()
        let bandTop = 20 + rng.uniformInt(below: 100), cx = 40 + rng.uniformInt(below: 120), cy = 120 + rng.uniformInt(below: 120)
        let radius = 20 + rng.uniformInt(below: 40), period = 6 + rng.uniformInt(below: 20)
        for y in 0..<h {
            for x in 0..<w {
                if y >= bandTop && y < bandTop + 40 { image[x, y] = band }
                if (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius { image[x, y] = disc }
                if y > 260 && (x / period) % 2 == 0 { image[x, y] = stripe }
            }
        }
        return image
    }

    /// A scratch folder tree, removed when the value is released.
    final class Folders {
        let root: URL
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("scoring-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }
        func url(_ name: String) -> URL { root.appendingPathComponent(name) }
        func write(_ image: RGBImage, _ path: String, quality: Int = 92) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try JPEGEncoder.write(image, quality: quality, to: url)
        }
        deinit { try? FileManager.default.removeItem(at: root) }
    }
}
