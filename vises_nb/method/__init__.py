"""VISES itself: the vocabulary (steps, poles, dimensions...), answer scales and the
indicator catalogue, with their labels in every language. Imports only the ground floor."""
