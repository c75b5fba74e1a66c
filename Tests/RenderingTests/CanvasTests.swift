import Foundation
import Imaging
import Rendering
import Testing

@Suite struct CanvasTests {
    /// Colours survive the trip RGBImage → Cairo surface (B,G,R,A words) → RGBImage.
    @Test func imageRoundTripKeepsChannelOrder() throws {
        var image = RGBImage(width: 3, height: 2)
        image[0, 0] = (255, 0, 0); image[1, 0] = (0, 255, 0); image[2, 0] = (0, 0, 255)
        image[0, 1] = (12, 34, 56); image[1, 1] = (255, 255, 255); image[2, 1] = (1, 2, 3)
        let canvas = try Canvas(size: Size(width: 3, height: 2))
        canvas.drawImage(image, in: Rect(x: 0, y: 0, width: 3, height: 2))
        let back = try canvas.renderedImage()
        #expect(back == image, "pixels changed on the way through Cairo: \(back.pixels) vs \(image.pixels)")
    }

    @Test func drawnImageLandsAspectFittedInItsRect() throws {
        let canvas = try Canvas(size: Size(width: 100, height: 100))
        let image = RGBImage(width: 10, height: 20, fill: (10, 200, 30))
        let landed = canvas.drawImage(image, in: Rect(x: 0, y: 0, width: 100, height: 100))
        #expect(landed == Rect(x: 25, y: 0, width: 50, height: 100), "a 1:2 image fits 50×100, centred")
        let pixels = try canvas.renderedImage()
        #expect(pixels[50, 50] == (10, 200, 30), "image colour in the middle")
        #expect(pixels[10, 50] == (255, 255, 255), "white ground beside the fitted image")
    }

    @Test func scaleTwoDoublesThePixelsNotTheLayout() throws {
        let figure = SampleFigures.similarityGrid
        let one = try figure.renderImage(scale: 1), two = try figure.renderImage(scale: 2)
        #expect(two.width == 2 * one.width && two.height == 2 * one.height,
                "2× is \(two.width)×\(two.height), 1× is \(one.width)×\(one.height)")
        // The same logical point shows the same colour at both scales.
        let p = figure.candidateFrame.center
        #expect(one[Int(p.x), Int(p.y)] == two[Int(2 * p.x), Int(2 * p.y)], "candidate colour at both scales")
    }

    @Test func pngIsWrittenAtomicallyAndDecodes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("grid.png")
        try SampleFigures.imageGrid.writePNG(to: url, scale: 2)
        let image = try RenderedPNG.read(from: url)
        #expect(image.width == 2 * Int(SampleFigures.imageGrid.size.width), "2× PNG width")
        #expect(image.height == 2 * Int(SampleFigures.imageGrid.size.height), "2× PNG height")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "grid.png" }
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
    }

    @Test func writingIntoAMissingFolderNamesThePath() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/figure.png")
        #expect {
            try SampleFigures.imageGrid.writePNG(to: url)
        } throws: { error in
            "\(error)".contains(url.path)
        }
    }

    @Test func readingANonPNGFailsWithTheFileName() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-png-\(UUID().uuidString).png")
        try Data("hello".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            try RenderedPNG.read(from: url)
        } throws: { error in
            "\(error)".contains(url.lastPathComponent)
        }
    }
}
