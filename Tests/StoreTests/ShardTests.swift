import CoverAnalysis
import Foundation
import Testing

@Suite struct ShardTests {
    @Test func shardsPartitionTheFilesEvenly() throws {
        let paths = (0..<4000).map { "covers/\($0 / 100)/book-\($0).jpg" }
        let shards = try (0..<4).map { try Shard(index: $0, count: 4) }
        for path in paths { #expect(shards.filter { $0.contains(path) }.count == 1) }
        let sizes = shards.map { shard in paths.filter(shard.contains).count }
        // A hash split: each quarter within 10 % of 1,000.
        #expect(sizes.allSatisfy { abs($0 - 1000) < 100 }, "\(sizes)")
        #expect(Shard.whole.contains("anything.png"))
    }

    @Test func indexAndCountComeFromTheFlagOrTheScheduler() throws {
        #expect(try Shard.resolve(flag: "2/5", environment: [:]) == Shard(index: 2, count: 5))
        #expect(try Shard.resolve(flag: nil, environment: [:]) == nil)
        #expect(try Shard.resolve(flag: "/8", environment: ["JOB_COMPLETION_INDEX": "7"]) == Shard(index: 7, count: 8))
        let slurm = ["SLURM_ARRAY_TASK_ID": "12", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try Shard.resolve(flag: nil, environment: slurm) == Shard(index: 2, count: 4))
        #expect(try Shard.resolve(flag: "/6", environment: slurm) == Shard(index: 2, count: 6))
    }

    @Test func badShardsAreRefused() {
        #expect(throws: Shard.ShardError.indexOutOfRange(index: 4, count: 4)) { try Shard.resolve(flag: "4/4", environment: [:]) }
        #expect(throws: Shard.ShardError.malformed("3")) { try Shard.resolve(flag: "3", environment: [:]) }
        #expect(throws: Shard.ShardError.malformed("/3")) { try Shard.resolve(flag: "/3", environment: [:]) }
        #expect(throws: Shard.ShardError.noCount(index: 1)) { try Shard.resolve(flag: nil, environment: ["JOB_COMPLETION_INDEX": "1"]) }
        #expect(throws: Shard.ShardError.badEnvironment(name: "JOB_COMPLETION_INDEX", value: "x")) {
            try Shard.resolve(flag: "/3", environment: ["JOB_COMPLETION_INDEX": "x"])
        }
    }
}
