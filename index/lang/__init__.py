"""Facts about languages: codes, scripts, identification, and the everyday-word glossary."""
