import Foundation
import Testing
@testable import Networks

/// A damaged or crafted safetensors file and the error kind it must produce.
struct HostileSafeTensors: CustomTestStringConvertible, Sendable {
    var name: String
    var bytes: Data
    var expected: String   // the CheckpointError case name

    var testDescription: String { name }

    static func make(_ name: String, _ header: String, data: [UInt8] = [], length: UInt64? = nil, expect: String) -> Self {
        Self(name: name, bytes: CheckpointFixtures.safetensorsBytes(header: header, data: data, declaredLength: length), expected: expect)
    }

    static let all: [Self] = [
        Self(name: "empty file", bytes: Data(), expected: "truncated"),
        Self(name: "shorter than the length field", bytes: Data([1, 0, 0]), expected: "truncated"),
        make("header length over 100 MB", "{}", length: 200_000_000, expect: "badHeader"),
        make("header length near UInt64.max", "{}", length: UInt64.max, expect: "badHeader"),
        make("header longer than the file", "{}", length: 64, expect: "truncated"),
        make("header not JSON", "hello!!!", expect: "badHeader"),
        make("header a JSON array", "[1, 2]  ", expect: "badHeader"),
        make("entry without shape", #"{"a":{"dtype":"F32","data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], expect: "badHeader"),
        make("metadata value not a string", #"{"__metadata__":{"k":1}}"#, expect: "badHeader"),
        make("fractional dimension", #"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], expect: "badHeader"),
        make("half precision", #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], expect: "unsupportedDType"),
        make("bfloat16", #"{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], expect: "unsupportedDType"),
        make("negative dimension", #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], expect: "badTensor"),
        make("shape product overflows", #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], expect: "badTensor"),
        make("byte count overflows", #"{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], expect: "badTensor"),
        make("span disagrees with shape", #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], expect: "badTensor"),
        make("end before begin", #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, data: [0, 0, 0, 0], expect: "badTensor"),
        make("three offsets", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, data: [0, 0, 0, 0], expect: "badTensor"),
        make("overlapping tensors",
             #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
             data: [UInt8](repeating: 0, count: 8), expect: "badTensor"),
        make("gap between tensors",
             #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
             data: [UInt8](repeating: 0, count: 12), expect: "badTensor"),
        make("data past the end of the file", #"{"a":{"dtype":"F32","shape":[1000000],"data_offsets":[0,4000000]}}"#,
             data: [0, 0, 0, 0], expect: "truncated"),
        make("offsets near Int.max", #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[9223372036854775800,9223372036854775804]}}"#,
             data: [0, 0, 0, 0], expect: "badTensor"),
        make("unclaimed trailing bytes", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
             data: [0, 0, 0, 0, 9, 9], expect: "badHeader"),
    ]
}

@Suite struct SafeTensorsHostileTests {
    @Test(arguments: HostileSafeTensors.all)
    func hostileFileGivesTypedError(_ sample: HostileSafeTensors) {
        do {
            _ = try SafeTensors(bytes: sample.bytes, path: "hostile.safetensors")
            Issue.record("\(sample.name): read without error")
        } catch let error as CheckpointError {
            let kind = Mirror(reflecting: error).children.first?.label
            #expect(kind == sample.expected, "\(sample.name): got \(error)")
            #expect(error.description.hasPrefix("hostile.safetensors: "), "\(sample.name): message \(error.description)")
        } catch {
            Issue.record("\(sample.name): untyped error \(error)")
        }
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: CheckpointError.self) {
            try SafeTensors(contentsOf: URL(fileURLWithPath: "/nonexistent/model.safetensors"))
        }
    }
}
