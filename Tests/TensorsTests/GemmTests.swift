import Support
import Testing
@testable import Tensors

@Suite struct GemmTests {
    @Test func matmulMatchesHandComputedProduct() {
        // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
        let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], storage: [7, 8, 9, 10, 11, 12])
        #expect(Tensor.matmul(a, b).storage == [58, 64, 139, 154])
    }

    @Test func transposedOperandsGiveTheSameProduct() {
        let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let bT = Tensor(shape: [2, 3], storage: [7, 9, 11, 8, 10, 12])   // Bᵀ of the test above
        #expect(Tensor.matmul(a, bT, transposeB: true).storage == [58, 64, 139, 154])
        let aT = Tensor(shape: [3, 2], storage: [1, 4, 2, 5, 3, 6])
        #expect(Tensor.matmul(aT, bT, transposeA: true, transposeB: true).storage == [58, 64, 139, 154])
    }

    @Test func parallelForVisitsEveryIndexOnce() {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        parallelFor(1000, workers: 4) { counts[$0] += 1 }
        #expect(counts.allSatisfy { $0 == 1 })
    }
}
