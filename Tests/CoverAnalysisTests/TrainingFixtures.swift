import Foundation
import Imaging
import Networks
import Support
import Tensors
@testable import CoverAnalysis

/// A tiny model and two visually different classes of generated covers, so training tests run in
/// seconds without real covers or the 18 MB pretrained weights.
enum TrainingFixtures {
    /// EfficientNet-Lite0 with seeded random weights (Kaiming-uniform convolutions, identity
    /// BatchNorm) at 32×32 input: the real architecture and file format, about 1/50 of the work
    /// per cover. Random convolutional features separate covers that differ in colour and layout.
    static func writeTinyModel(to url: URL, architecture: ModelArchitecture = .efficientNetLite0) throws {
        var rng = SeededGenerator(seed: 2024)
        var state = StateDict(source: "tiny model")
        let shapes = architecture == .resnet18 ? ResNet18.parameterShapes(classes: nil) : EfficientNetLite0.parameterShapes(classes: nil)
        for (name, shape) in shapes {
            let n = shape.reduce(1, *)
            let values: [Float]
            if shape.count > 1 {
                let bound = Float((6.0 / Double(n / shape[0])).squareRoot())
                values = (0..<n).map { _ in rng.uniformFloat(-bound, bound) }
            } else {
                values = [Float](repeating: name.hasSuffix("running_var") || name.hasSuffix("weight") ? 1 : 0, count: n)
            }
            state[name] = StoredTensor(Tensor(shape: shape, storage: values))
        }
        let preprocessing = Preprocessing(geometry: .stretch, size: 32, normalization: .efficientNet)
        let metadata = ModelFileMetadata(architecture: architecture, preprocessing: preprocessing.fingerprintText, head: .none)
        try SafeTensors(tensors: state, metadata: metadata.dictionary).write(to: url)
    }

    /// Popular covers: light, warm, a large disc. Others: dark, cool, stripes. Each varied by `seed`.
    static func cover(popular: Bool, seed: UInt64) -> RGBImage {
        var rng = SeededGenerator(seed: seed &* 2 &+ (popular ? 1 : 0))
        func jitter(_ base: Int) -> UInt8 { UInt8(max(0, min(255, base + rng.uniformInt(below: 61) - 30))) }
        let (w, h) = (60, 90)
        let background = popular ? (jitter(225), jitter(190), jitter(120)) : (jitter(40), jitter(60), jitter(110))
        let accent = popular ? (jitter(200), jitter(60), jitter(40)) : (jitter(150), jitter(170), jitter(200))
        var image = RGBImage(width: w, height: h, fill: background)
        let cx = 15 + rng.uniformInt(below: 30), cy = 30 + rng.uniformInt(below: 30), r = 12 + rng.uniformInt(below: 8)
        let period = 3 + rng.uniformInt(below: 4)
        for y in 0..<h {
            for x in 0..<w {
                if popular, (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r { image[x, y] = accent }
                if !popular, (y / period) % 2 == 0, y > 20 { image[x, y] = accent }
            }
        }
        return image
    }

    /// A scratch folder with `model.safetensors` and `data/popular`, `data/other`.
    final class Workspace {
        let root: URL
        var model: URL { root.appendingPathComponent("model.safetensors") }
        var data: URL { root.appendingPathComponent("data") }

        init(popular: Int = 24, other: Int = 36) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try writeTinyModel(to: model)
            for (name, count) in [("popular", popular), ("other", other)] {
                let folder = data.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for i in 0..<count {
                    try JPEGEncoder.write(cover(popular: name == "popular", seed: UInt64(i)), quality: 90,
                                          to: folder.appendingPathComponent(String(format: "%03d.jpg", i)))
                }
            }
        }

        func url(_ name: String) -> URL { root.appendingPathComponent(name) }

        func store() throws -> EmbeddingStore { try EmbeddingStore(url: url("cache.sqlite")) }

        deinit { try? FileManager.default.removeItem(at: root) }
    }
}
