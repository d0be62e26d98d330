"""Finding and ranking passages: questions → engine queries → hits → an answer."""
