import Foundation
import Testing
@testable import Imaging

/// Paths and loaders for `Tests/Fixtures/`, found from this file's location so tests run from anywhere.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let reference = root.appendingPathComponent("reference")

    static func referenceTensors() throws -> ReferenceTensors {
        try ReferenceTensors(contentsOf: reference.appendingPathComponent("inputs.safetensors"))
    }

    /// Raw RGB bytes stored by the fixture script (PIL's decoding or resizing output).
    static func rawImage(_ relativePath: String, width: Int, height: Int) throws -> RGBImage {
        let bytes = [UInt8](try Data(contentsOf: reference.appendingPathComponent(relativePath)))
        guard bytes.count == width * height * 3 else {
            throw FixtureError.wrongSize(relativePath, expected: width * height * 3, got: bytes.count)
        }
        return RGBImage(width: width, height: height, pixels: bytes)
    }

    enum FixtureError: Error { case wrongSize(String, expected: Int, got: Int) }
}

/// The four reference images, with the size of each (pixels decoded by PIL into `pixels/<name>.rgb`).
struct ReferenceImage: CustomTestStringConvertible, Sendable {
    let name: String
    let width: Int
    let height: Int

    static let all = [
        ReferenceImage(name: "cover_224", width: 224, height: 224),
        ReferenceImage(name: "noise_224", width: 224, height: 224),
        ReferenceImage(name: "rings_224", width: 224, height: 224),
        ReferenceImage(name: "portrait_300x450", width: 300, height: 450),
    ]
    static let portrait = all[3]

    func pixels() throws -> RGBImage {
        try Fixtures.rawImage("pixels/\(name).rgb", width: width, height: height)
    }

    var testDescription: String { name }
}
