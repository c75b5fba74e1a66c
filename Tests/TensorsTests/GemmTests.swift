import Foundation
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

    /// `mapBatchChunks` splits 5 images on two workers into sub-batches of 1, 1, 1 and 2: joining
    /// uneven pieces must give 5 rows in order (it once gave a tensor with the first piece's batch
    /// size holding every image's values, so ResNet18 lost the last cover of an odd batch).
    @Test func concatenateJoinsUnevenBatches() {
        let a = Tensor(shape: [1, 2], storage: [1, 2]), b = Tensor(shape: [2, 2], storage: [3, 4, 5, 6])
        let joined = Tensor.concatenate(batch: [a, b])
        #expect(joined.shape == [3, 2] && joined.storage == [1, 2, 3, 4, 5, 6])
        var sizes: [Int] = []
        let lock = NSLock()
        let rows = Tensor(shape: [5, 2], storage: (1...10).map(Float.init))
        let mapped = rows.mapBatchChunks(compute: ComputeContext(workers: 2)) { chunk in
            lock.withLock { sizes.append(chunk.shape[0]) }
            return chunk
        }
        #expect(mapped.shape == [5, 2] && mapped.storage == rows.storage)
        #expect(sizes.sorted() == [1, 1, 1, 2])
    }

    @Test func parallelForVisitsEveryIndexOnce() {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        parallelFor(1000, workers: 4) { counts[$0] += 1 }
        #expect(counts.allSatisfy { $0 == 1 })
        counts.update(repeating: 0)
        parallelForDynamic(1000, workers: 4) { counts[$0] += 1 }
        #expect(counts.allSatisfy { $0 == 1 })
    }

    /// A worker that is held up leaves the remaining items to the others (`parallelForDynamic`),
    /// where `parallelFor`'s fixed halves would leave them to it.
    ///
    /// The first item's worker is held until the other 39 items are done, not for a fixed time: a
    /// sleep raced the machine's load (under the whole suite 39 items of 1 ms took longer than
    /// 0.3 s, and CI failed). A loop that kept this worker's half for it never gets the 39 done
    /// and waits out the timeout instead, then finds 20 items on one thread at most.
    @Test func dynamicLoopGivesAHeldUpWorkersItemsToTheOthers() {
        let lock = NSLock()
        var byThread: [ObjectIdentifier: Int] = [:]
        var othersDone = 0
        let allOthersDone = DispatchSemaphore(value: 0)
        parallelForDynamic(40, workers: 2) { i in
            if i == 0 { _ = allOthersDone.wait(timeout: .now() + 30) }   // the first item's worker is held up
            let finished = lock.withLock { () -> Int in
                byThread[ObjectIdentifier(Thread.current), default: 0] += 1
                if i != 0 { othersDone += 1 }
                return othersDone
            }
            if i != 0 && finished == 39 { allOthersDone.signal() }
        }
        #expect(byThread.values.reduce(0, +) == 40)
        #expect(byThread.values.max() ?? 0 >= 35, "items per thread: \(byThread.values.sorted())")
    }
}

/// Both GEMM libraries (`GEMMLibrary`) against a product summed in Double, on shapes with odd
/// sizes, transposes, leading dimensions wider than the matrix and β = 1, as the convolutions call them.
@Suite struct GemmLibraryTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let m, n, k: Int
        let transposeA, transposeB: Bool
        let beta: Float
        var testDescription: String { "\(m)×\(n)×\(k)\(transposeA ? " Aᵀ" : "")\(transposeB ? " Bᵀ" : "") β=\(beta)" }
    }

    static let cases: [Case] = [
        Case(m: 37, n: 53, k: 29, transposeA: false, transposeB: false, beta: 0),
        Case(m: 64, n: 196, k: 147, transposeA: false, transposeB: false, beta: 1),
        Case(m: 19, n: 71, k: 200, transposeA: false, transposeB: true, beta: 1),
        Case(m: 150, n: 33, k: 17, transposeA: true, transposeB: false, beta: 0),
        Case(m: 5, n: 9, k: 300, transposeA: true, transposeB: true, beta: 1),
    ]

    @Test(arguments: cases, GEMMLibrary.allCases)
    func productMatchesADoubleSum(_ c: Case, library: GEMMLibrary) {
        var generator = SeededGenerator(seed: 7)
        let pad = 3   // leading dimensions wider than the rows they hold
        let (aRows, aColumns) = c.transposeA ? (c.k, c.m) : (c.m, c.k)
        let (bRows, bColumns) = c.transposeB ? (c.n, c.k) : (c.k, c.n)
        let (lda, ldb, ldc) = (aColumns + pad, bColumns + pad, c.n + pad)
        let a = (0..<(aRows * lda)).map { _ in generator.uniformFloat(-1, 1) }
        let b = (0..<(bRows * ldb)).map { _ in generator.uniformFloat(-1, 1) }
        let c0 = (0..<(c.m * ldc)).map { _ in generator.uniformFloat(-1, 1) }
        var out = c0
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { cp in
                    sgemm(transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k, alpha: 0.5,
                          a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: c.beta,
                          c: cp.baseAddress!, ldc: ldc, compute: ComputeContext(workers: 1, gemm: library))
                }
            }
        }
        var worst = 0.0
        for i in 0..<c.m {
            for j in 0..<c.n {
                var sum = 0.0
                for p in 0..<c.k {
                    let x = c.transposeA ? a[p * lda + i] : a[i * lda + p]
                    let y = c.transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(x) * Double(y)
                }
                let want = 0.5 * sum + Double(c.beta) * Double(c0[i * ldc + j])
                worst = max(worst, abs(Double(out[i * ldc + j]) - want))
            }
            for j in c.n..<ldc {   // the padding columns stay as they were
                #expect(out[i * ldc + j] == c0[i * ldc + j], "\(c.testDescription), \(library): C[\(i), \(j)] outside the matrix changed")
            }
        }
        // float32 products of k terms in [-1, 1]: rounding grows like √k · 2⁻²⁴ per term; 1e-5·k is generous and still
        // catches a wrong transpose, leading dimension or β (errors of order 1).
        #expect(worst <= 1e-5 * Double(c.k), "\(c.testDescription), \(library): max abs error \(worst)")
    }
}

/// Which kernel path a CPU and `COVERLENS_KERNELS` give.
@Suite struct KernelPathTests {
    static let avx512CPU: Set<String> = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
    static let avx2CPU: Set<String> = ["avx2", "fma"]

    @Test func aCPUWithAVX512TakesTheAVX512Path() {
        let choice = KernelPath.choose(flags: Self.avx512CPU, requested: nil)
        #expect(choice.path == .avx512 && choice.problem == nil)
    }

    @Test func anAVX2CPUOrOneWithoutAVX512BWTakesTheAVX2Path() {
        #expect(KernelPath.choose(flags: Self.avx2CPU, requested: nil).path == .avx2)
        #expect(KernelPath.choose(flags: Self.avx512CPU.subtracting(["avx512bw"]), requested: nil).path == .avx2)
    }

    @Test func theEnvironmentForcesTheAVX2PathOnAnAVX512CPU() {
        let choice = KernelPath.choose(flags: Self.avx512CPU, requested: "avx2")
        #expect(choice.path == .avx2 && choice.problem == nil)
        #expect(KernelPath.choose(flags: Self.avx512CPU, requested: "").path == .avx512)
    }

    @Test func aRequestTheCPUCannotFollowOrAnUnknownNameSaysWhy() {
        let lacking = KernelPath.choose(flags: Self.avx2CPU, requested: "avx512")
        #expect(lacking.path == .avx2)
        #expect(lacking.problem?.contains("lacks avx512f") == true, "\(lacking.problem ?? "no problem")")
        let unknown = KernelPath.choose(flags: Self.avx512CPU, requested: "sse2")
        #expect(unknown.path == .avx512)
        #expect(unknown.problem?.contains("COVERLENS_KERNELS=sse2 is not a kernel path") == true, "\(unknown.problem ?? "no problem")")
    }
}

/// Which GEMM library `COVERLENS_GEMM` gives: oneDNN unless it names OpenBLAS.
@Suite struct GEMMLibraryChoiceTests {
    @Test func oneDNNByDefaultAndOpenBLASOnRequestInAnyCase() {
        #expect(GEMMLibrary.choose(requested: nil) == (.oneDNN, nil))
        #expect(GEMMLibrary.choose(requested: "") == (.oneDNN, nil))
        #expect(GEMMLibrary.choose(requested: "openblas") == (.openBLAS, nil))
        #expect(GEMMLibrary.choose(requested: "OneDNN") == (.oneDNN, nil))
    }

    @Test func anUnknownNameSaysWhyAndKeepsOneDNN() {
        let unknown = GEMMLibrary.choose(requested: "mkl")
        #expect(unknown.library == .oneDNN)
        #expect(unknown.problem?.contains("COVERLENS_GEMM=mkl is not a GEMM library") == true, "\(unknown.problem ?? "no problem")")
    }
}
