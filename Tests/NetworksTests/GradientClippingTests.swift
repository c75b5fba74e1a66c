import Testing
import Tensors
@testable import Networks

@Suite struct GradientClippingTests {
    private func parameters() -> [Parameter] {
        var a = Parameter(name: "a", value: Tensor(shape: [2]))
        var b = Parameter(name: "b", value: Tensor(shape: [1]))
        a.gradient.storage = [3, 4]
        b.gradient.storage = [12]         // global norm √(9 + 16 + 144) = 13
        return [a, b]
    }

    @Test func scalesAllGradientsWhenTheGlobalNormIsTooLarge() {
        var ps = parameters()
        let norm = clipGradientNorm(&ps, maxNorm: 6.5)
        #expect(norm == 13)
        let coefficient = Float(6.5 / (13 + 1e-6))
        #expect(ps[0].gradient.storage == [3 * coefficient, 4 * coefficient], "\(ps[0].gradient.storage)")
        #expect(ps[1].gradient.storage == [12 * coefficient], "\(ps[1].gradient.storage)")
        #expect(abs(globalGradientNorm(ps) - 6.5) < 1e-5)
    }

    @Test func leavesGradientsAloneBelowTheLimit() {
        var ps = parameters()
        #expect(clipGradientNorm(&ps, maxNorm: 13.5) == 13)
        #expect(ps[0].gradient.storage == [3, 4] && ps[1].gradient.storage == [12])
    }
}
