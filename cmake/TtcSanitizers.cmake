# ASan + UBSan for every target when TTC_SANITIZE is on (DESIGN.md §8).
if(TTC_SANITIZE)
  if(MSVC)
    message(FATAL_ERROR "TTC_SANITIZE is supported with GCC and Clang only")
  endif()
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()

# ThreadSanitizer for every target (the team code of the CUDA kernels, run by host threads in
# ttc_cuda_emulation_check, and the CPU thread pool). Not combinable with ASan.
option(TTC_TSAN "Build every target with ThreadSanitizer" OFF)
if(TTC_TSAN)
  if(TTC_SANITIZE OR MSVC)
    message(FATAL_ERROR "TTC_TSAN needs GCC or Clang and excludes TTC_SANITIZE")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=thread)
endif()

# libFuzzer builds (DESIGN.md §8): coverage instrumentation, ASan and UBSan for every target; Clang only.
option(TTC_FUZZ "Build the libFuzzer targets (Clang), instrumenting every target" OFF)
if(TTC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TTC_FUZZ needs Clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
