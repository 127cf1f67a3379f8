console.log("kyso");
