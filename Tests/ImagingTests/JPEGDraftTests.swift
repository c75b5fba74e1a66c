import Foundation
import Testing
@testable import Imaging

/// `--jpeg-draft on` (``Preprocessing/jpegDraft``) decodes JPEGs as PIL does after
/// `Image.draft("RGB", (side, side))`: reduced by 8, 4 or 2 in libjpeg's IDCT, to the byte. The
/// fixtures in `Tests/Fixtures/jpeg-draft/` were written by scripts/fixtures/make_jpeg_draft.py
/// (generated pictures; Debian's Pillow, which decodes with the same libjpeg-turbo CoverLens links).
@Suite struct JPEGDraftTests {
    static let folder = Fixtures.root.appendingPathComponent("jpeg-draft")

    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let file: String
        let side: Int
        let stored: [Int]
        let width: Int
        let height: Int
        let pixels: String
        var testDescription: String { "\(file) side \(side)" }
    }
    struct Record: Decodable { let pillow: String; let libjpeg: String; let cases: [Case] }

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("drafted.json")),
              let record = try? JSONDecoder().decode(Record.self, from: data) else { return [] }
        return record.cases
    }()

    @Test func fixturesArePresent() {
        #expect(Self.cases.count == 12, "drafted.json lists the twelve cases make_jpeg_draft.py writes")
        #expect(Set(Self.cases.map { $0.stored[0] / $0.width }).isSuperset(of: [1, 2, 4, 7]),
                "the cases reduce by 8, 4, 2 and not at all (97 / 13 = 7 for the eighth)")
    }

    @Test(arguments: cases)
    func matchesPillowsDraft(_ c: Case) throws {
        let url = Self.folder.appendingPathComponent(c.file)
        let decoded = try ImageDecoder.decode(contentsOf: url, limits: DecodeLimits(colourManagement: false, jpegDraftSide: c.side))
        let expected = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(c.pixels)))
        #expect(decoded.image.width == c.width && decoded.image.height == c.height,
                "decoded \(decoded.image.width)×\(decoded.image.height), Pillow \(c.width)×\(c.height)")
        try #require(expected.count == c.width * c.height * 3)
        let differing = zip(decoded.image.pixels, expected).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(expected.count) bytes differ from Pillow's draft")
    }

    /// Without the setting a JPEG decodes whole whatever its size; other formats ignore it.
    @Test func offDecodesEveryPixel() throws {
        let url = Self.folder.appendingPathComponent("rgb-420-97x151.jpg")
        let whole = try ImageDecoder.decode(contentsOf: url, limits: DecodeLimits(colourManagement: false))
        #expect(whole.image.width == 97 && whole.image.height == 151)
        let png = [UInt8](try PNGEncoder.encode(whole.image))
        let fromPNG = try ImageDecoder.decode(bytes: png, name: "whole.png", limits: DecodeLimits(jpegDraftSide: 10))
        #expect(fromPNG.image.width == 97 && fromPNG.image.height == 151, "PNG is never drafted")
    }

    /// Preprocessing turns the setting into the decode's side (its input size), records it only
    /// when on, and reads files that never had it as off, so every earlier model and cache key stays.
    @Test func preprocessingRecordsItOnlyWhenOn() throws {
        let off = Preprocessing(), on = Preprocessing(jpegDraft: true)
        #expect(off.decodeLimits(.default).jpegDraftSide == nil)
        #expect(on.decodeLimits(.default).jpegDraftSide == 224)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(off), as: UTF8.self)
                == #"{"colourManagement":true,"geometry":"stretch","normalization":"efficientnet","size":224}"#,
                "the default's recorded form, and so every fingerprint made before the setting, is unchanged")
        let onText = String(decoding: try encoder.encode(on), as: UTF8.self)
        #expect(onText.contains(#""jpegDraft":true"#), "\(onText)")
        #expect(try JSONDecoder().decode(Preprocessing.self, from: Data(onText.utf8)) == on)
        let old = #"{"colourManagement":true,"geometry":"stretch","size":224,"normalization":"efficientnet"}"#
        #expect(try JSONDecoder().decode(Preprocessing.self, from: Data(old.utf8)).jpegDraft == false)
        #expect(PreprocessingOverrides(jpegDraft: true).applied(to: off) == on)
        #expect(PreprocessingOverrides.none.applied(to: on) == on)
    }
}
