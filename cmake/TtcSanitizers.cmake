# ASan + UBSan for every target when TTC_SANITIZE is on (DESIGN.md §8).
if(TTC_SANITIZE)
  if(MSVC)
    message(FATAL_ERROR "TTC_SANITIZE is supported with GCC and Clang only")
  endif()
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
