import Foundation
import Testing
@testable import CoverSynth

/// The same seed must give the same file, byte for byte: examples are committed and regenerated.
@Suite struct CoverDeterminismTests {
    let generator = try! CoverGenerator(width: 200, height: 300)

    @Test(arguments: CoverStyle.allCases)
    func sameSeedGivesIdenticalJPEG(_ style: CoverStyle) throws {
        let first = try generator.render(seed: 42, style: style, coverClass: .popular).jpeg()
        let second = try generator.render(seed: 42, style: style, coverClass: .popular).jpeg()
        #expect(first == second, "\(style): two renders of seed 42 differ")
    }

    @Test func differentSeedsGiveDifferentCovers() throws {
        let a = try generator.render(seed: 1, style: .literary, coverClass: .other).image
        let b = try generator.render(seed: 2, style: .literary, coverClass: .other).image
        let differing = zip(a.pixels, b.pixels).filter { $0 != $1 }.count
        #expect(differing > a.pixels.count / 10, "seeds 1 and 2 differ in only \(differing) of \(a.pixels.count) bytes")
    }

    @Test func aWrittenSetDoesNotDependOnTheWorkerCount() throws {
        let set = try SynthSet(perClass: 4, candidates: 3, seed: 12)
        let one = try temporaryFolder(), three = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: one); try? FileManager.default.removeItem(at: three) }
        var reported: [Int] = []
        let rows = try set.write(to: one, generator: generator, workers: 1)
        try set.write(to: three, generator: generator, workers: 3) { done, total in
            #expect(total == rows.count)
            reported.append(done)
        }
        #expect(reported == Array(1...rows.count), "progress calls \(reported)")
        for file in rows.map(\.file) + ["manifest.csv"] {
            let a = try Data(contentsOf: one.appendingPathComponent(file))
            let b = try Data(contentsOf: three.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between 1 and 3 workers")
        }
    }

    @Test func aWrittenSetIsReproducible() throws {
        let set = try SynthSet(perClass: 3, candidates: 2, seed: 9)
        let one = try temporaryFolder(), two = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: one); try? FileManager.default.removeItem(at: two) }
        let rows = try set.write(to: one, generator: generator)
        try set.write(to: two, generator: generator)
        #expect(rows.count == 8)
        for file in rows.map(\.file) + ["manifest.csv"] {
            let a = try Data(contentsOf: one.appendingPathComponent(file))
            let b = try Data(contentsOf: two.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between two runs with seed 9")
        }
    }
}

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("coversynth-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
