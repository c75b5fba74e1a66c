import Foundation
import Imaging
import Networks
import Testing
import Tensors
@testable import CoverAnalysis

@Suite struct GradCAMTests {
    @Test func equalsTheWeightedSumOfChannelsOnAHandExample() {
        // Two channels on a 2×2 map; weights (4, −4) over area 4 → α = (1, −1).
        let features = Tensor(shape: [1, 2, 2, 2], storage: [1, 2, 3, 4, 4, 0, 0, 0])
        let map = GradCAM.heatmap(features: features, headWeight: Tensor(shape: [1, 2], storage: [4, -4]))
        // raw = (1−4, 2, 3, 4) → ReLU → (0, 2, 3, 4) → / 4
        #expect(map.values == [0, 0.5, 0.75, 1])
    }

    /// A head that responds to what a bright patch adds to a plain cover must look at the patch.
    @Test func peaksWhereThePositiveEvidenceIs() throws {
        var model = try ScoringFixtures.pretrainedModel()
        model.preprocessing.geometry = .stretch
        let plain = RGBImage(width: 224, height: 224, fill: (40, 60, 90))
        var patched = plain
        for y in 16..<80 { for x in 150..<214 { patched[x, y] = (x / 8 + y / 8) % 2 == 0 ? (250, 220, 30) : (200, 20, 20) } }
        func input(_ image: RGBImage) -> Tensor { model.preprocessing.tensor(for: image).reshaped([1, 3, 224, 224]) }
        // Head weights: how much each channel's pooled activation grows when the patch is added.
        let grown = model.backbone.embedding(input(patched), compute: .default).storage
        let base = model.backbone.embedding(input(plain), compute: .default).storage
        model.backbone.classifier = Linear(weight: Tensor(shape: [1, 1280], storage: zip(grown, base).map { $0 - $1 }),
                                           bias: Tensor(shape: [1], storage: [0]))
        let map = try #require(GradCAM.heatmap(model: model, input: input(patched), compute: .default))
        #expect(map.width == 7 && map.height == 7)
        let peak = map.values.indices.max { map.values[$0] < map.values[$1] }!
        let (row, column) = (peak / 7, peak % 7)
        // The patch covers rows 16–80 (cells 0–2) and columns 150–214 (cells 4–6) of 224.
        #expect((0...2).contains(row) && (4...6).contains(column), "peak at row \(row), column \(column): \(map.values)")
    }
}
