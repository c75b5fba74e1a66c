import Testing
@testable import Imaging

/// sRGB ↔ CIELAB (D65) against published values and as a round trip.
@Suite struct LabColourTests {
    /// Bruce Lindbloom's calculator (sRGB, D65, no adaptation), 4 decimals.
    @Test(arguments: [
        ((255, 0, 0), (53.2408, 80.0925, 67.2032)),
        ((0, 255, 0), (87.7347, -86.1827, 83.1793)),
        ((0, 0, 255), (32.2970, 79.1875, -107.8602)),
        ((255, 255, 255), (100.0, 0.0, 0.0)),
        ((0, 0, 0), (0.0, 0.0, 0.0)),
    ])
    func primariesMatchPublishedValues(_ rgb: (Int, Int, Int), _ lab: (Double, Double, Double)) {
        let ours = LabColour(red: UInt8(rgb.0), green: UInt8(rgb.1), blue: UInt8(rgb.2))
        let error = max(abs(ours.l - lab.0), abs(ours.a - lab.1), abs(ours.b - lab.2))
        #expect(error < 2e-3, "\(rgb) → (\(ours.l), \(ours.a), \(ours.b)), expected \(lab)")
    }

    @Test func darkGreyUsesTheLinearSegment() {
        // sRGB 10 → 10/255/12.92 = 0.0030353 linear; Y below (6/29)³, so L = 903.3 · Y = 2.7418.
        let grey = LabColour(red: 10, green: 10, blue: 10)
        #expect(abs(grey.l - 2.7418) < 1e-3, "L* of (10,10,10) = \(grey.l)")
    }

    @Test func everyByteColourSurvivesTheRoundTrip() {
        var worst = 0
        for r in stride(from: 0, through: 255, by: 5) {
            for g in stride(from: 0, through: 255, by: 15) {
                for b in stride(from: 0, through: 255, by: 17) {
                    let back = LabColour(red: UInt8(r), green: UInt8(g), blue: UInt8(b)).srgb
                    worst = max(worst, abs(Int(back.red) - r), abs(Int(back.green) - g), abs(Int(back.blue) - b))
                }
            }
        }
        #expect(worst == 0, "round trip off by \(worst) levels")
    }

    @Test func distanceIsEuclideanInLab() {
        let a = LabColour(l: 50, a: 10, b: -10), b = LabColour(l: 53, a: 14, b: -10)
        #expect(a.distance(to: b) == 5)
    }
}
