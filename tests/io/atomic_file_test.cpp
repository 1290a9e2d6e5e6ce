// Output targets that are not regular files: a FIFO (like /dev/null or
// /dev/stdout, a device) takes the text straight through and stays what it
// is. A rename over it would put a regular file in its place — run as root,
// `--metrics-out /dev/null` once turned this machine's /dev/null into a
// plain file. The test uses a FIFO of its own, never /dev/null.
#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iterator>

#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace switchboard;

namespace {

// The FIFO's read end, opened before anything writes (non-blocking: a
// writer's open then finds a reader); what() is all it holds so far. Had
// the FIFO been replaced by a file, it holds nothing.
class FifoReader {
 public:
  explicit FifoReader(const fs::path& path) : fd_(open(path.c_str(), O_RDONLY | O_NONBLOCK)) {}
  ~FifoReader() { close(fd_); }
  bool ok() const { return fd_ >= 0; }
  std::string what() const {
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = read(fd_, buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
    return out;
  }

 private:
  int fd_;
};

}  // namespace

TEST(AtomicFile, AFifoIsWrittenThroughAndStaysAFifo) {
  test::TempDir dir;
  const fs::path fifo = dir / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  check_output_file(fifo, "--metrics-out");  // a writable FIFO is a fine target
  const FifoReader reader(fifo);
  ASSERT_TRUE(reader.ok());
  write_file_atomically(fifo, "the text\n");
  EXPECT_EQ(reader.what(), "the text\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);  // no temporary left
}

TEST(AtomicFile, FilesWrittenTogetherBesideAFifo) {
  test::TempDir dir;
  const fs::path fifo = dir / "coverage", roster = dir / "roster.csv";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  test::write_file(roster, "old\n");
  const FifoReader reader(fifo);
  ASSERT_TRUE(reader.ok());
  write_files_atomically({{roster, "new\n"}, {fifo, "covered\n"}}, "--out");
  EXPECT_EQ(reader.what(), "covered\n");
  EXPECT_EQ(test::read_file(roster), "new\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
}
