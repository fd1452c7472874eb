"""The fictional sample cohort (68 enterprises, seed 2018): `generator` builds it,
`content` holds the names, texts and verbatims it draws from."""
