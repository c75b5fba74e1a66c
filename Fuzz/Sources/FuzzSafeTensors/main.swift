import CFuzzDriver
import Foundation
import Networks

/// One libFuzzer input: any bytes must parse as safetensors or fail with a `CheckpointError`
/// naming the file; a parsed file's tensors must convert to Float32 and serialise again.
/// NetworksTests' FuzzRegressionTests replays every kept crash input through the same call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(bytes: start, count: count)
    do {
        let file = try SafeTensors(bytes: data, path: "fuzz.safetensors")
        for (name, stored) in file.tensors.entries {
            if stored.floatTensor.storage.count != stored.shape.reduce(1, *) { fatalError("\(name): size disagrees with shape") }
        }
        _ = try file.serialized()
    } catch let error as CheckpointError {
        if !"\(error)".hasPrefix("fuzz.safetensors") { fatalError("error does not name the file: \(error)") }
    } catch {
        fatalError("not a CheckpointError: \(error)")
    }
    return 0
}

// SwiftPM makes this file's top-level code the program's `main`: hand control to libFuzzer.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzSafeTensors($0, $1) })
