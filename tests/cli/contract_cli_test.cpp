// `tandem contract check | diff | activate`, run in-process on files in a temporary folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/cli_fixture.hpp"

namespace tandem::cli {
namespace {

using clitest::Output;

namespace fs = std::filesystem;

std::string Example() {
  std::ifstream in(std::string(TANDEM_SOURCE_DIR) + "/docs/examples/contract.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ContractCliTest : public clitest::CliFixture {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST_F(ContractCliTest, CheckAcceptsTheExample) {
  const auto file = Write("c.toml", Example());
  auto r = Tandem({"contract", "check", file});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ok"), std::string::npos);
}

TEST_F(ContractCliTest, CheckPrintsFileLineColumnAndFails) {
  auto text = Replace(Example(), "first_touch_hours = 4", "first_touch_hours = 4\nfirst_tuch = 1");
  text = Replace(text, "\"Europe/Paris\"", "\"Europe/Nowhere\"");
  const auto file = Write("bad.toml", text);
  auto r = Tandem({"contract", "check", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(file + ":58:1: unknown key 'first_tuch' in [sales]"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("unknown time zone 'Europe/Nowhere'"), std::string::npos) << r.err;
  EXPECT_EQ(Tandem({"contract", "check", (dir_ / "missing.toml").string()}).code, 1);
}

TEST_F(ContractCliTest, DiffPrintsChangedTerms) {
  const auto a = Write("a.toml", Example());
  const auto b =
      Write("b.toml", Replace(Example(), "first_touch_hours = 4", "first_touch_hours = 8"));
  auto r = Tandem({"contract", "diff", a, b});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "sales.first_touch_hours: 4 -> 8\n");
  auto same = Tandem({"contract", "diff", a, a});
  EXPECT_EQ(same.code, 0);
  EXPECT_EQ(same.out, "");
  const auto bad = Write("bad.toml", "name = ");
  EXPECT_EQ(Tandem({"contract", "diff", a, bad}).code, 2);
}

TEST_F(ContractCliTest, ActivateStoresVersions) {
  const auto file = Write("c.toml", Example());
  auto r = Tandem({"contract", "activate", file, "--db", db_});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("activated contract version 1"), std::string::npos) << r.out;
  auto future =
      Tandem({"contract", "activate", file, "--db", db_, "--effective-at", "2999-01-04T09:00:00Z"});
  EXPECT_EQ(future.code, 0) << future.err;
  EXPECT_NE(future.out.find("version 2"), std::string::npos);
  EXPECT_NE(future.out.find("effective 2999-01-04T09:00:00.000Z"), std::string::npos);
  EXPECT_EQ(
      Tandem({"contract", "activate", file, "--db", db_, "--effective-at", "2001-01-01"}).code, 1);
  EXPECT_EQ(Tandem({"contract", "activate", file, "--db", db_, "--effective-at", "soon"}).code, 2);
  EXPECT_EQ(Tandem({"contract", "activate", file, "--db", db_, "--by", "x@y.example"}).code, 1);
  const auto bad = Write("bad.toml", Replace(Example(), "weight = 30", "weight = 31"));
  auto refused = Tandem({"contract", "activate", bad, "--db", db_});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("KPI weights must sum to 100, not 101"), std::string::npos);
}

}  // namespace
}  // namespace tandem::cli
