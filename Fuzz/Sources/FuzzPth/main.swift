import CFuzzDriver
import Foundation
import Networks

/// One libFuzzer input: any bytes must load as a state dict (zip `.pth`, legacy pickle `.pth` or
/// safetensors, chosen by the first bytes, as `import-weights` does) or fail with a
/// `CheckpointError` naming the file; every loaded tensor must convert to Float32 with as many
/// values as its shape says.
/// NetworksTests' FuzzRegressionTests replays every kept crash input through the same call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPth(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(bytes: start, count: count)
    do {
        let dict = try loadStateDict(bytes: data, path: "fuzz.pth")
        for (name, stored) in dict.entries {
            if stored.floatTensor.storage.count != stored.shape.reduce(1, *) { fatalError("\(name): size disagrees with shape") }
        }
    } catch let error as CheckpointError {
        if !"\(error)".hasPrefix("fuzz.pth") { fatalError("error does not name the file: \(error)") }
    } catch {
        fatalError("not a CheckpointError: \(error)")
    }
    return 0
}

// SwiftPM makes this file's top-level code the program's `main`: hand control to libFuzzer.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzPth($0, $1) })
