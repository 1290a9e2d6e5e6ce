// Every subcommand of `switchboard`: one function, one file (cli/cmd_NAME.cpp).
// Each takes the arguments after its name and returns the exit status:
// 0 success, 1 a threshold the user asked to assert was missed, 2 bad input.
#pragma once

#include <string>
#include <vector>

namespace switchboard::cli {

using Args = std::vector<std::string>;

int simulate(const Args& args);
int erlang(const Args& args);
int staff(const Args& args);
int forecast(const Args& args);
int schedule(const Args& args);
int serve(const Args& args);
int loadtest(const Args& args);
int tickets(const Args& args);

}  // namespace switchboard::cli
