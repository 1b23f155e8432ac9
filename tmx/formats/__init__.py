"""One module per exchange format, each with ``read(path, ...) -> Iterator[TranslationUnit]`` and
``write(path, units, ...) -> int`` (in the spirit of translate-toolkit's ``translate/storage``)."""
