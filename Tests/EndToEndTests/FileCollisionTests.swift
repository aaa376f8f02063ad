import UID2TestSupport
import Foundation
import Testing

@Suite("no output overwrites the input or another output, however the paths are spelled", .serialized)
struct FileCollisionTests {
    @Test(arguments: [
        (["--out", "./in.csv", "--force"], "the input and the output (--out)"),
        (["--out", "sub/../in.csv", "--force"], "the input and the output (--out)"),
        (["--out", "link.csv", "--force"], "the input and the output (--out)"),
        (["--out", "hard.csv", "--force"], "the input and the output (--out)"),
        (["--out", "x.csv", "--errors", "./x.csv"], "the output (--out) and the errors file (--errors)"),
        (["--out", "x.csv", "--errors", "x.csv.partial"], "the errors file (--errors)"),
        (["--out", "x.csv", "--errors", "in.csv"], "the input and the errors file (--errors)"),
        (["--out", "x.csv", "--errors", "./sub/../in.csv"], "the input and the errors file (--errors)"),
        (["--out", "x.csv", "--summary-json", "./in.csv"], "the input and the summary (--summary-json)"),
        (["--out", "x.csv", "--summary-json", "sub/../x.csv"], "the output (--out) and the summary (--summary-json)"),
        (["--out", "-", "--errors", "-"], "--out - and --errors - would interleave"),
        (["--out", "sub", "--force"], "the output (--out) names a directory"),
        (["--out", "x.csv", "--errors", "sub", "--force"], "the errors file (--errors) names a directory"),
    ])
    func hashRefusesBeforeWritingAnything(_ options: [String], _ problem: String) async throws {
        let workspace = try TemporaryDirectory()
        let original = try String(contentsOfFile: samplePath, encoding: .utf8)
        let input = try workspace.write(original, to: "in.csv")
        try FileManager.default.createDirectory(atPath: workspace.path("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: workspace.path("link.csv"), withDestinationPath: input)
        try FileManager.default.linkItem(atPath: input, toPath: workspace.path("hard.csv"))
        let before = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted()

        let result = try await runCommand(Binaries.uid2Batch, ["hash", "in.csv"] + options, workingDirectory: workspace.url.path)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(problem), "\(result.stderr)")
        #expect(workspace.read("in.csv") == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).sorted() == before)
    }

    @Test func mapRefusesToReplaceItsPreviousFile() async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write(try String(contentsOfFile: samplePath, encoding: .utf8), to: "in.csv")
        let first = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--simulate", "--key-column", "customer_id", "--out", workspace.path("uid2.csv"),
        ])
        #expect(first.status == 1, "\(first.stderr)")
        let previous = workspace.read("uid2.csv")
        try FileManager.default.createDirectory(atPath: workspace.path("sub"), withIntermediateDirectories: true)
        let again = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--simulate", "--key-column", "customer_id", "--previous", workspace.path("uid2.csv"),
            "--out", workspace.url.appendingPathComponent("sub/../uid2.csv").path, "--force",
        ])
        #expect(again.status == 2, "\(again.stderr)")
        #expect(again.stderr.contains("the --previous file and the output (--out)"))
        #expect(workspace.read("uid2.csv") == previous)
    }
}
