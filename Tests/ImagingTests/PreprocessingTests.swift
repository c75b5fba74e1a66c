import Foundation
import Tensors
import Testing
@testable import Imaging

/// Normalised tensors against the PyTorch reference inputs, batching and the Codable form.
@Suite struct PreprocessingTests {
    @Test(arguments: ReferenceImage.all)
    func tensorMatchesReferenceInput(_ image: ReferenceImage) throws {
        let reference = try Fixtures.referenceTensors()
        let expected = try #require(reference.floats("\(image.name).input"), "\(image.name).input missing")
        #expect(reference.shape("\(image.name).input") == [1, 3, 224, 224])
        let ours = Preprocessing.reference.tensor(for: try image.pixels())
        #expect(ours.shape == [3, 224, 224])
        let worst = zip(ours.storage, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(ours.count == expected.count && worst <= 1e-6, "\(image.name): max |diff| \(worst)")
    }

    /// The whole path a cover takes: PNG file → decoder → crop → normalise, against PyTorch's tensor.
    @Test(arguments: ReferenceImage.all)
    func decodedPNGGivesReferenceInput(_ image: ReferenceImage) throws {
        let reference = try Fixtures.referenceTensors()
        let expected = try #require(reference.floats("\(image.name).input"), "\(image.name).input missing")
        let decoded = try ImageDecoder.decode(contentsOf: Fixtures.reference.appendingPathComponent("images/\(image.name).png"))
        let ours = Preprocessing.reference.batch([decoded.image], compute: .default)
        #expect(ours.shape == [1, 3, 224, 224])
        let worst = zip(ours.storage, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6, "\(image.name): max |diff| \(worst)")
    }

    @Test func batchStacksImagesInOrder() throws {
        let images = try ReferenceImage.all.map { try $0.pixels() }
        let batch = Preprocessing.reference.batch(images, compute: .default)
        #expect(batch.shape == [4, 3, 224, 224])
        for (i, image) in images.enumerated() {
            #expect(batch.slice(batch: i ..< i + 1).storage == Preprocessing.reference.tensor(for: image).storage,
                    "batch item \(i) differs from the single-image tensor")
        }
        #expect(Preprocessing.default.batch([], compute: .default).shape == [0, 3, 224, 224])
    }

    @Test func imagenetNormalisationUsesTorchvisionConstants() {
        // Pure white: (1 − mean) / std per channel; black: −mean / std.
        let white = Preprocessing(geometry: .stretch, size: 2, normalization: .imagenet)
            .tensor(for: RGBImage(width: 5, height: 3, fill: (255, 255, 255)))
        #expect(white.shape == [3, 2, 2])
        #expect(abs(white[0, 0, 0] - (1 - 0.485) / 0.229) < 1e-6)
        #expect(abs(white[1, 1, 1] - (1 - 0.456) / 0.224) < 1e-6)
        #expect(abs(white[2, 0, 1] - (1 - 0.406) / 0.225) < 1e-6)
        #expect(abs(Normalization.imagenet.value(0, channel: 2) - (-0.406 / 0.225)) < 1e-6)
    }

    @Test func efficientNetNormalisationIsExactAndPlanar() {
        var image = RGBImage(width: 2, height: 1)
        image[0, 0] = (0, 127, 255)
        image[1, 0] = (128, 1, 64)
        let t = Preprocessing(geometry: .stretch, size: 2).tensor(for: image)   // 2×1 → 2×2: rows repeat
        #expect(t[0, 0, 0] == -127 / 128 && t[1, 0, 0] == 0 && t[2, 0, 0] == 1)
        #expect(t[0, 1, 1] == 1 / 128 && t[1, 1, 1] == -126 / 128 && t[2, 1, 1] == -63 / 128)
    }

    @Test func codableFormIsStableAndValidated() throws {
        let value = Preprocessing(geometry: .letterbox, size: 256, normalization: .imagenet)
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        #expect(json.contains("\"letterbox\"") && json.contains("\"imagenet\"") && json.contains("256"), "\(json)")
        #expect(try JSONDecoder().decode(Preprocessing.self, from: Data(json.utf8)) == value)
        let stored = #"{"colourManagement":false,"geometry":"crop","size":224,"normalization":"efficientnet"}"#
        #expect(try JSONDecoder().decode(Preprocessing.self, from: Data(stored.utf8)) == .reference)
        let bad = #"{"geometry":"crop","size":0,"normalization":"efficientnet"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Preprocessing.self, from: Data(bad.utf8)) }
    }
}
