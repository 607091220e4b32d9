"""项目清单: public-interest projects that secretaries publish and units or volunteers claim."""
