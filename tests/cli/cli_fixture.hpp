// Runs the `tandem` command line in-process over a fresh temporary folder per test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace tandem::cli::clitest {

struct Output {
  int code;
  std::string out;
  std::string err;
};

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `tandem ARGS...` with `stdin_text` as standard input.
  Output Tandem(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), "tandem");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    int code = cli::Run(static_cast<int>(argv.size()), argv.data(), in, out, err);
    return {code, out.str(), err.str()};
  }

  std::filesystem::path dir_;
  std::string db_;
};

}  // namespace tandem::cli::clitest
