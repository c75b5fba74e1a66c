import Foundation
import Tensors

/// OpenBLAS against oneDNN on the products the networks actually multiply: issue 17's convolution
/// shapes, and the shapes that carry most of the FLOPs of EfficientNet-Lite0 and ResNet18 inference
/// (batch 8, 2 workers: Winograd tiles and im2col column tiles; batch 1's Winograd GEMMs, whose
/// few tiles are the columns) and full fine-tuning (batch 32:
/// the weight and input gradients, transposed). The model shapes were taken by logging every
/// `sgemm` of `coverlens-bench --batches 8` and `--train full --batches 32` and keeping those with
/// the largest share of FLOPs. Figures are GFLOP per CPU-second (so other processes on a shared
/// machine do not lower them) with 1 and 2 GEMM threads; with 2, time spent spinning counts.
enum GemmBenchmark {
    struct Shape {
        let m: Int, n: Int, k: Int
        var transposeA = false, transposeB = false
        let origin: String
    }

    static let shapes: [Shape] = [
        Shape(m: 1024, n: 1024, k: 1024, origin: "square"),
        Shape(m: 64, n: 25088, k: 576, origin: "issue 17"),
        Shape(m: 256, n: 1568, k: 2304, origin: "issue 17"),
        Shape(m: 512, n: 392, k: 4608, origin: "issue 17"),
        Shape(m: 1280, n: 392, k: 320, origin: "issue 17"),
        Shape(m: 512, n: 64, k: 512, origin: "ResNet18 inference, Winograd layer4"),
        Shape(m: 256, n: 128, k: 256, origin: "ResNet18 inference, Winograd layer3"),
        Shape(m: 64, n: 224, k: 64, origin: "ResNet18 inference, Winograd layer1"),
        Shape(m: 64, n: 1232, k: 147, origin: "ResNet18 inference, stem"),
        // Batch 1: every Winograd layer's tiles are one block, so the GEMMs get few columns.
        Shape(m: 512, n: 16, k: 512, origin: "ResNet18 batch 1, Winograd layer4 (16 tiles)"),
        Shape(m: 256, n: 49, k: 256, origin: "ResNet18 batch 1, Winograd layer3 (49 tiles)"),
        Shape(m: 128, n: 49, k: 128, origin: "ResNet18 batch 1, Winograd layer2 (49 tiles)"),
        Shape(m: 64, n: 196, k: 64, origin: "ResNet18 batch 1, Winograd layer1 (196 tiles)"),
        Shape(m: 672, n: 196, k: 112, origin: "EfficientNet-Lite0 inference, pointwise"),
        Shape(m: 1152, n: 49, k: 192, origin: "EfficientNet-Lite0 inference, pointwise"),
        Shape(m: 64, n: 64, k: 896, transposeB: true, origin: "ResNet18 training, Winograd dW layer1"),
        Shape(m: 512, n: 512, k: 256, transposeB: true, origin: "ResNet18 training, Winograd dW layer4"),
        Shape(m: 128, n: 576, k: 784, transposeB: true, origin: "ResNet18 training, dW layer2.0.conv1 (stride 2)"),
        Shape(m: 576, n: 784, k: 128, transposeA: true, origin: "ResNet18 training, dX layer2.0.conv1 (stride 2)"),
        Shape(m: 64, n: 147, k: 12544, transposeB: true, origin: "ResNet18 training, dW stem"),
    ]

    static func run(seconds: Double) {
        print("GFLOP per CPU-second          OpenBLAS 1 thr   oneDNN 1 thr  |  OpenBLAS 2 thr   oneDNN 2 thr")
        for shape in shapes {
            var line = String(format: "%5d × %5d × %5d %@%@", shape.m, shape.n, shape.k,
                              (shape.transposeA ? "Aᵀ" : "  ") as NSString, (shape.transposeB ? "Bᵀ" : "  ") as NSString)
            for threads in [1, 2] {
                var rates: [Double] = []
                for library in [GEMMLibrary.openBLAS, .oneDNN] {
                    rates.append(rate(shape, compute: ComputeContext(workers: 1, gemmThreads: threads, gemm: library), seconds: seconds))
                }
                line += String(format: "   %8.1f   %8.1f (×%.2f)", rates[0], rates[1], rates[1] / rates[0])
            }
            print(line + "  " + shape.origin)
        }
        BLAS.threads = 1
    }

    /// GFLOP per CPU-second of the best of three rounds of about `seconds` / 6 each.
    private static func rate(_ s: Shape, compute: ComputeContext, seconds: Double) -> Double {
        compute.applyGEMMThreads()
        var a = [Float](repeating: 0, count: s.m * s.k), b = [Float](repeating: 0, count: s.k * s.n)
        for i in a.indices { a[i] = Float(i % 7) * 0.1 }
        for i in b.indices { b[i] = Float(i % 5) * 0.1 }
        var c = [Float](repeating: 0, count: s.m * s.n)
        let flops = 2.0 * Double(s.m * s.n * s.k)
        var best = 0.0
        a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
            func product() {
                sgemm(transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k,
                      a: ap.baseAddress!, lda: s.transposeA ? s.m : s.k, b: bp.baseAddress!, ldb: s.transposeB ? s.k : s.n,
                      c: cp.baseAddress!, ldc: s.n, compute: compute)
            }
            product()
            for _ in 0..<3 {
                var runs = 0
                let c0 = cpuTime()
                repeat { product(); runs += 1 } while cpuTime() - c0 < seconds / 6
                best = max(best, flops * Double(runs) / (cpuTime() - c0) / 1e9)
            }
        }}}
        return best
    }
}
